/// How the Xen host booted, as far as dom0 can tell. Decides whether a missing ACPI RSDP
/// is an error: on a UEFI machine the RSDP is not in the legacy BIOS area, so a kernel that
/// is not told where it is finds no ACPI at all (Linux `drivers/acpi/acpica/tbxfroot.c`,
/// `acpi_find_root_pointer`, scans only the EBDA and 0xe0000-0xfffff).
///
/// Online (`Sources/XenKexec/FirmwareDiscovery.swift`): `uefi` when dom0 has
/// `/sys/firmware/efi` or its boot_params carry an EFI loader signature (a PV dom0 learns
/// EFI from Xen: Linux `arch/x86/xen/efi.c`, `xen_efi_init`, writes "Xen" there and sets
/// EFI_BOOT when `XENPF_firmware_info(XEN_FW_EFI_INFO)` answers); `bios` when boot_params
/// are readable and show neither; `unknown` when nothing could be read, and for host
/// descriptions written before this field existed. `unknown` behaves like `bios`.
public enum HostFirmware: String, Sendable, CaseIterable, Codable {
    case bios
    case uefi
    case unknown
}

/// Where the ACPI RSDP address came from, in the order discovery tries them (an explicit
/// value, when given, is used instead of what discovery finds).
public enum AcpiRsdpSource: String, Sendable, CaseIterable, Codable {
    /// dom0's `/sys/kernel/boot_params/data`, `acpi_rsdp_addr` at 0x070 (kexec-tools' first choice).
    case bootParams = "boot_params"
    /// dom0's `/sys/firmware/efi/systab`, the `ACPI20=` line.
    case efiSystabACPI20 = "efi_systab_acpi20"
    /// dom0's `/sys/firmware/efi/systab`, the `ACPI=` line.
    case efiSystabACPI = "efi_systab_acpi"
    /// `--acpi-rsdp ADDR` on the command line.
    case option = "option"
    /// `XEN_KEXEC_ACPI_RSDP=` in the defaults file (`provision`).
    case defaultsFile = "defaults_file"

    /// Human words for messages and `range`.
    public var description: String {
        switch self {
        case .bootParams: "dom0's /sys/kernel/boot_params/data (acpi_rsdp_addr, 0x70)"
        case .efiSystabACPI20: "/sys/firmware/efi/systab (ACPI20=)"
        case .efiSystabACPI: "/sys/firmware/efi/systab (ACPI=)"
        case .option: "--acpi-rsdp"
        case .defaultsFile: "XEN_KEXEC_ACPI_RSDP in the defaults file"
        }
    }
}
