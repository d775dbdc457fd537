import Foundation
import Logging
import KexecPlan
import SystemPackage
import Testing
import XenKexec
@testable import xen_kexec_load

@Suite struct ProvisionPlanTests {
    static let facts = ProvisionFacts(
        kernelRelease: "6.1.0-56-amd64",
        dom0CommandLine: "BOOT_IMAGE=/boot/vmlinuz-6.1.0-56-amd64 root=UUID=abcd ro console=hvc0 earlyprintk=xen quiet",
        xenCommandLine: "dom0_mem=4G,max:4G console=com1 com1=115200,8n1 crashkernel=256M loglvl=all",
        lockdown: "[none] integrity confidentiality", secureBoot: nil)

    func config(_ text: String) throws -> ProvisionConfig {
        try ProvisionConfig.from(try DefaultsFile.parse(text))
    }

    @Test func defaultsAreTheRunningKernelAndATranslatedConsole() throws {
        let p = ProvisionPlan(try config(""), facts: Self.facts)
        #expect(p.kernel == "/boot/vmlinuz-6.1.0-56-amd64")
        #expect(p.initrd == "/boot/initrd.img-6.1.0-56-amd64")
        #expect(p.type == .crash)
        #expect(p.commandLine.contains("root=UUID=abcd"))
        #expect(p.commandLine.contains("console=ttyS0,115200"))
        for gone in ["console=hvc0", "earlyprintk=xen", "BOOT_IMAGE=", "crashkernel="] {
            #expect(!p.commandLine.contains(gone), "\(gone) in \(p.commandLine)")
        }
        for added in ["nr_cpus=1", "irqpoll", "reset_devices"] { #expect(p.commandLine.contains(added)) }
        #expect(p.invocation.request.commandLine.replacement == p.commandLine)
    }

    @Test func explicitSettingsWin() throws {
        let p = ProvisionPlan(try config("""
            XEN_KEXEC_KERNEL=/boot/crash-vmlinuz
            XEN_KEXEC_INITRD=none
            XEN_KEXEC_TYPE=efi
            XEN_KEXEC_CMDLINE="root=/dev/sda1 ro"
            XEN_KEXEC_CMDLINE_APPEND="systemd.unit=kdump-tools-dump.service"
            XEN_KEXEC_CRASH_DEFAULTS="nr_cpus=2 panic=1"
            """), facts: Self.facts)
        #expect(p.kernel == "/boot/crash-vmlinuz")
        #expect(p.initrd == nil)
        #expect(p.type == .crashEFI)
        #expect(p.commandLine.hasPrefix("root=/dev/sda1 ro"))
        #expect(p.commandLine.contains("nr_cpus=2") && !p.commandLine.contains("nr_cpus=1"))
        #expect(p.commandLine.hasSuffix("systemd.unit=kdump-tools-dump.service"))
    }

    @Test func autoPicksEFIWhenLockedDownOrSecureBoot() throws {
        var f = Self.facts
        f.lockdown = "none [integrity] confidentiality"
        #expect(ProvisionPlan(try config(""), facts: f).type == .crashEFI)
        f.lockdown = nil
        f.secureBoot = true
        #expect(ProvisionPlan(try config(""), facts: f).type == .crashEFI)
        f.secureBoot = false
        #expect(ProvisionPlan(try config("XEN_KEXEC_TYPE=auto"), facts: f).type == .crash)
        f.secureBoot = true
        #expect(ProvisionPlan(try config("XEN_KEXEC_TYPE=crash"), facts: f).type == .crash)
    }

    @Test func noXenCommandLineKeepsDom0sOtherConsoles() throws {
        var f = Self.facts
        f.xenCommandLine = nil
        f.dom0CommandLine = "root=/dev/sda1 console=hvc0 console=ttyS1,9600"
        let p = ProvisionPlan(try config(""), facts: f)
        #expect(p.commandLine.contains("console=ttyS1,9600") && !p.commandLine.contains("hvc0"))
    }

    @Test func configLoader() throws {
        let dir = NSTemporaryDirectory() + "xen-kexec-provision-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try ProvisionConfigLoader.load(FilePath(dir + "/absent")) == (try config("")))
        try "XEN_KEXEC_ENABLED=no\n".write(toFile: dir + "/off", atomically: true, encoding: .utf8)
        #expect(try ProvisionConfigLoader.load(FilePath(dir + "/off")).enabled == false)
        try "XEN_KEXEC_TYPO=1\n".write(toFile: dir + "/bad", atomically: true, encoding: .utf8)
        do {
            _ = try ProvisionConfigLoader.load(FilePath(dir + "/bad"))
            Issue.record("expected a configuration error")
        } catch {
            guard case .badConfiguration(_, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("XEN_KEXEC_TYPO"))
            #expect(Diagnosis(error).exit == .config)
        }
    }
}

@Suite(.serialized) struct ProvisionBinaryTests {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "xen-kexec-defaults-\(UUID().uuidString)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func disabledDoesNothingAnywhere() throws {
        let path = try write("XEN_KEXEC_ENABLED=no\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try BackendBinaryTests.run(["provision", "--config", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("disabled"))
    }

    @Test func badConfigurationIs78() throws {
        let path = try write("XEN_KEXEC_TYPE=sideways\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try BackendBinaryTests.run(["provision", "--config", path])
        #expect(r.status == 78)
        #expect(r.stderr.contains("XEN_KEXEC_TYPE=sideways"))
    }

    @Test(.disabled(if: BackendBinaryTests.isDom0)) func enabledNeedsDom0() throws {
        let path = try write("XEN_KEXEC_ENABLED=yes\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try BackendBinaryTests.run(["provision", "--config", path])
        #expect(r.status == 69)
    }
}

@Suite struct CompletionScriptTests {
    @Test(arguments: ["bash", "zsh", "fish"]) func listEveryBackendCommand(_ shell: String) throws {
        let r = try BackendBinaryTests.run(["--generate-completion-script", shell])
        #expect(r.status == 0)
        for sub in ["load", "unload", "exec", "status", "range", "provision"] {
            #expect(r.stdout.contains(sub), "\(shell) completion lacks \(sub)")
        }
        for flag in ["yes-crash-now", "dry-run", "reuse-cmdline"] {  // fish writes `-l dry-run`
            #expect(r.stdout.contains(flag), "\(shell) completion lacks \(flag)")
        }
    }
}

@Suite struct ProvisionAcpiRsdpTests {
    @Test func optionThenDefaultsKeyThenDiscovery() throws {
        let config = try ProvisionConfig.from(try DefaultsFile.parse("XEN_KEXEC_ACPI_RSDP=0x7f77d014"))
        let fromKey = ProvisionCommand.discovery(option: nil, config: config)
        #expect(fromKey.explicit == ExplicitAcpiRsdp(address: 0x7f77_d014, source: .defaultsFile))
        #expect(fromKey.sysfsRoot == "/sys")
        let fromOption = ProvisionCommand.discovery(option: MachineAddressArgument(argument: "0x7f77e014"), config: config)
        #expect(fromOption.explicit == ExplicitAcpiRsdp(address: 0x7f77_e014, source: .option))
        let none = ProvisionCommand.discovery(option: nil, config: try ProvisionConfig.from(try DefaultsFile.parse("")))
        #expect(none.explicit == nil)
    }

    @Test func addressArgumentTakesHexOrDecimalNotZero() {
        #expect(MachineAddressArgument(argument: "0x7f77d014")?.value == 0x7f77_d014)
        #expect(MachineAddressArgument(argument: "1005008")?.value == 1_005_008)
        #expect(MachineAddressArgument(argument: "0") == nil)
        #expect(MachineAddressArgument(argument: "0xzz") == nil)
    }
}

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
            let logs = CollectedLog()
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
            #expect(logs.lines.contains { $0.contains("USE_KDUMP is not 1") })
            try "USE_KDUMP=1\nKDUMP_KEXEC_ARGS=--noio\nSSH_KEY=$HOME/.ssh/id\n".write(toFile: dir + "/odd", atomically: true, encoding: .utf8)
            #expect(try ProvisionConfigLoader.loadKdumpTools(FilePath(dir + "/odd"), logger: logs.logger)?.useKdump == true)
            #expect(logs.lines.contains { $0.contains("KDUMP_KEXEC_ARGS=\"--noio\" is ignored") })
            #expect(logs.lines.contains { $0.contains("line 3") && $0.contains("not read") })
        }
    }

    @Test func missingKdumpInitrdSaysHowToBuildIt() {
        let (message, exit, _) = Diagnosis.describe(.fileUnavailable("/var/lib/kdump/initrd.img-6.1.0-41-amd64", .noSuchFileOrDirectory))
        #expect(exit == .noInput)
        #expect(message.contains("/etc/kernel/postinst.d/kdump-tools 6.1.0-41-amd64"), "\(message)")
    }
}
