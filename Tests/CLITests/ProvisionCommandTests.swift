import Foundation
import Logging
import KexecPlan
import SystemPackage
import Testing
import XenKexec
@testable import xen_kexec_load

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
