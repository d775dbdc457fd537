import ArgumentParser
import KexecPlan
import XenKexec

/// A machine address given on the command line (`--acpi-rsdp`): `0x…` hex or decimal, not 0.
struct MachineAddressArgument: ExpressibleByArgument, Equatable {
    let value: UInt64

    init?(argument: String) {
        guard let v = MachineAddressArgument.parse(argument), v != 0 else { return nil }
        value = v
    }

    static func parse(_ text: String) -> UInt64? {
        parseHex(text)
    }

    static var defaultValueDescription: String { "ADDR" }
}

/// `plan --firmware`: how the host booted, for offline plans.
enum FirmwareArgument: String, ExpressibleByArgument, CaseIterable {
    case uefi
    case bios

    var firmware: HostFirmware { self == .uefi ? .uefi : .bios }
}

/// The help text of every `--acpi-rsdp`.
enum AcpiRsdpHelp {
    static let text = ArgumentHelp(
        "The host's ACPI RSDP address (Xen prints it at boot: `xl dmesg | grep 'ACPI: RSDP'`); replaces what dom0's boot_params and EFI system table say.",
        valueName: "ADDR")

    /// The discovery an `--acpi-rsdp` option asks for, on `dom0`.
    static func discovery(_ option: MachineAddressArgument?, dom0: Dom0 = .live) -> FirmwareDiscovery {
        dom0.firmware(explicit: option.map { ExplicitAcpiRsdp(address: $0.value, source: .option) })
    }
}
