import Foundation
import KexecPlan
import Logging
import SystemPackage
import Testing
@testable import XenKexec
@testable import xen_kexec_load

/// `provision` with Debian kdump-tools' defaults file present.
@Suite struct ProvisionKdumpToolsTests {
    static let facts = ProvisionPlanTests.facts

    func config(_ text: String) throws -> ProvisionConfig {
        try ProvisionConfig.from(try DefaultsFile.parse(text))
    }

    static let shipped = try! KdumpToolsDefaults.parse("USE_KDUMP=1\nKDUMP_KERNEL=/var/lib/kdump/vmlinuz\nKDUMP_INITRD=/var/lib/kdump/initrd.img\n")

    @Test func theKernelKdumpToolsWouldHaveLoaded() throws {
        let p = ProvisionPlan(try config(""), kdumpTools: Self.shipped, facts: Self.facts)
        #expect(p.kernel == "/boot/vmlinuz-6.1.0-56-amd64")
        #expect(p.initrd == "/var/lib/kdump/initrd.img-6.1.0-56-amd64")
        #expect(p.commandLine.hasPrefix("root=UUID=abcd ro quiet"))
        #expect(p.commandLine.hasSuffix("console=ttyS0,115200n8 reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb"))
        #expect(p.commandLine.components(separatedBy: "nr_cpus=").count == 2)
        #expect(p.sources.contains { $0.contains("KDUMP_KERNEL=/var/lib/kdump/vmlinuz") })
    }

    @Test func xenKexecSettingsWin() throws {
        let kdump = try KdumpToolsDefaults.parse("USE_KDUMP=1\nKDUMP_KERNEL=/boot/vmlinuz-kdump\nKDUMP_INITRD=/boot/initrd-kdump\nKDUMP_CMDLINE=\"root=/dev/xvda2\"\n")
        let explicitKernel = ProvisionPlan(try config("XEN_KEXEC_KERNEL=/boot/mine"), kdumpTools: kdump, facts: Self.facts)
        #expect(explicitKernel.kernel == "/boot/mine")
        // kdump-tools' initrd goes with its kernel only.
        #expect(explicitKernel.initrd == "/boot/initrd.img-6.1.0-56-amd64")
        let explicitInitrd = ProvisionPlan(try config("XEN_KEXEC_INITRD=none"), kdumpTools: kdump, facts: Self.facts)
        #expect(explicitInitrd.kernel == "/boot/vmlinuz-kdump" && explicitInitrd.initrd == nil)
        let line = ProvisionPlan(try config("XEN_KEXEC_CMDLINE=\"root=/dev/sda9\"\nXEN_KEXEC_CMDLINE_APPEND=\"loglevel=7\""), kdumpTools: kdump, facts: Self.facts)
        #expect(line.commandLine.hasPrefix("root=/dev/sda9 "))
        #expect(line.commandLine.hasSuffix("usbcore.nousb loglevel=7"))
        let kdumpLine = ProvisionPlan(try config(""), kdumpTools: kdump, facts: Self.facts)
        #expect(kdumpLine.commandLine.hasPrefix("root=/dev/xvda2 "))
    }

    @Test func offOrAbsentMeansOwnDefaults() throws {
        let own = ProvisionPlan(try config(""), facts: Self.facts)
        let off = try KdumpToolsDefaults.parse("USE_KDUMP=0\nKDUMP_KERNEL=/boot/vmlinuz-kdump")
        #expect(ProvisionPlan(try config(""), kdumpTools: off, facts: Self.facts) == own)
        #expect(!own.commandLine.contains("kdump-tools"))
    }

    func withFiles(_ body: (String) throws -> Void) throws {
        let dir = NSTemporaryDirectory() + "xen-kexec-kdump-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    @Test func loaderNamesTheFileAndLine() throws {
        try withFiles { dir in
            let logs = LogCollector()
            #expect(try ProvisionConfigLoader.loadKdumpTools(FilePath(dir + "/absent"), logger: logs.logger) == nil)
            try "USE_KDUMP=1\nKDUMP_KERNEL=/boot/vmlinuz-`uname -r`\n".write(toFile: dir + "/bad", atomically: true, encoding: .utf8)
            do throws(KexecError) {
                _ = try ProvisionConfigLoader.loadKdumpTools(FilePath(dir + "/bad"), logger: logs.logger)
                Issue.record("expected a configuration error")
            } catch {
                let (message, exit, _) = Diagnosis.describe(error)
                #expect(exit == .config)
                #expect(message.contains(dir + "/bad") && message.contains("line 2") && message.contains("write the value literally"), "\(message)")
            }
            try "USE_KDUMP=0\n".write(toFile: dir + "/off", atomically: true, encoding: .utf8)
            #expect(try ProvisionConfigLoader.loadKdumpTools(FilePath(dir + "/off"), logger: logs.logger) == nil)
            #expect(logs.lines.contains { $0.1.contains("USE_KDUMP is not 1") })
            try "USE_KDUMP=1\nKDUMP_KEXEC_ARGS=--noio\nSSH_KEY=$HOME/.ssh/id\n".write(toFile: dir + "/odd", atomically: true, encoding: .utf8)
            #expect(try ProvisionConfigLoader.loadKdumpTools(FilePath(dir + "/odd"), logger: logs.logger)?.useKdump == true)
            #expect(logs.lines.contains { $0.1.contains("KDUMP_KEXEC_ARGS=\"--noio\" is ignored") })
            #expect(logs.lines.contains { $0.1.contains("line 3") && $0.1.contains("not read") })
        }
    }

    @Test func missingKdumpInitrdSaysHowToBuildIt() {
        let (message, exit, _) = Diagnosis.describe(.fileUnavailable("/var/lib/kdump/initrd.img-6.1.0-41-amd64", .noSuchFileOrDirectory))
        #expect(exit == .noInput)
        #expect(message.contains("/etc/kernel/postinst.d/kdump-tools 6.1.0-41-amd64"), "\(message)")
    }
}
