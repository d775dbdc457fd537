import Foundation
import KexecPlan
import Logging
import SystemPackage
import Testing
@testable import XenKexec
@testable import xen_kexec_load

@Suite struct ProvisionPlanTests {
    static let facts = ProvisionFacts(
        kernelRelease: "6.1.0-56-amd64",
        dom0CommandLine: "BOOT_IMAGE=/boot/vmlinuz-6.1.0-56-amd64 root=UUID=abcd ro console=hvc0 earlyprintk=xen quiet",
        xenCommandLine: "dom0_mem=4G,max:4G console=com1 com1=115200,8n1 crashkernel=256M loglvl=all",
        lockdownMode: "none", secureBoot: nil)

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
        f.lockdownMode = "integrity"
        #expect(ProvisionPlan(try config(""), facts: f).type == .crashEFI)
        f.lockdownMode = nil
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
