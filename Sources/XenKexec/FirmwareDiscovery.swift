import KexecImage
import KexecPlan
import SystemPackage

/// What dom0 can tell about the host's firmware: how it booted and where the ACPI RSDP is.
public struct FirmwareFacts: Equatable, Sendable {
    public var firmware: HostFirmware
    /// Why ``firmware`` was decided so, in words (for `-v` and `range`).
    public var firmwareEvidence: String
    public var acpiRsdp: UInt64?
    public var acpiRsdpSource: AcpiRsdpSource?
    /// What each source said, in the order tried (for `-v`).
    public var notes: [String]

    public init(
        firmware: HostFirmware, firmwareEvidence: String, acpiRsdp: UInt64? = nil,
        acpiRsdpSource: AcpiRsdpSource? = nil, notes: [String] = []
    ) {
        self.firmware = firmware
        self.firmwareEvidence = firmwareEvidence
        self.acpiRsdp = acpiRsdp
        self.acpiRsdpSource = acpiRsdpSource
        self.notes = notes
    }
}

/// An ACPI RSDP address the administrator gave (`--acpi-rsdp`, `XEN_KEXEC_ACPI_RSDP`).
public struct ExplicitAcpiRsdp: Equatable, Sendable {
    public var address: UInt64
    public var source: AcpiRsdpSource

    public init(address: UInt64, source: AcpiRsdpSource) {
        self.address = address
        self.source = source
    }
}

/// Finds the host's firmware and ACPI RSDP from dom0's sysfs (`sysfsRoot`, `/sys` in
/// production, a temporary tree in tests).
///
/// RSDP sources, in order, the first that answers wins: boot_params `acpi_rsdp_addr`
/// (`kernel/boot_params/data`, 8 bytes little-endian at 0x070, 0 = absent; Linux
/// `arch/x86/kernel/ksysfs.c`), then `firmware/efi/systab`'s `ACPI20=` and `ACPI=` lines
/// (Linux `drivers/firmware/efi/efi.c`, `systab_show`; mode 0400, root only). An explicit
/// address replaces what they say (so an administrator can correct a wrong one); a
/// different discovered value is noted.
///
/// Firmware: `uefi` if `firmware/efi` exists or boot_params' `efi_loader_signature` (0x1c0)
/// is "EL64", "EL32" or "Xen" (a PV dom0 gets EFI from Xen through
/// `XENPF_firmware_info(XEN_FW_EFI_INFO)`: Linux `drivers/xen/efi.c`, `xen_efi_probe`, and
/// `arch/x86/xen/efi.c`, `xen_efi_init`, which sets that signature and EFI_BOOT, so
/// `/sys/firmware/efi` appears); `bios` if boot_params were readable and show neither (Xen
/// booted without EFI, or does not give dom0 its EFI information); `unknown` otherwise.
public struct FirmwareDiscovery: Sendable {
    public var sysfsRoot: FilePath
    public var explicit: ExplicitAcpiRsdp?

    public init(sysfsRoot: FilePath = "/sys", explicit: ExplicitAcpiRsdp? = nil) {
        self.sysfsRoot = sysfsRoot
        self.explicit = explicit
    }

    /// dom0's live sysfs, no explicit address.
    public static let live = FirmwareDiscovery()

    static let bootParamsPath: FilePath = "kernel/boot_params/data"
    static let efiDirectoryPath: FilePath = "firmware/efi"
    static let systabPath: FilePath = "firmware/efi/systab"
    static let acpiRsdpOffset = 0x070
    static let efiLoaderSignatureOffset = 0x1C0

    /// Reads the sources and decides; never fails (what could not be read is noted).
    public func discover() -> FirmwareFacts {
        var notes: [String] = []
        let bootParamsFile = sysfsRoot.appending(Self.bootParamsPath.components)
        var bootParams: [UInt8]?
        do {
            bootParams = try SystemCalls.readFile(bootParamsFile, limit: 4096)
        } catch {
            notes.append("\(bootParamsFile): cannot read (\(error))")
        }
        let efiDirectory = sysfsRoot.appending(Self.efiDirectoryPath.components)
        let hasEFIDirectory = SystemCalls.isDirectory(efiDirectory)

        // Firmware.
        var facts: FirmwareFacts
        let signature = bootParams.flatMap(Self.efiLoaderSignature)
        if hasEFIDirectory {
            facts = FirmwareFacts(firmware: .uefi, firmwareEvidence: "\(efiDirectory) exists")
        } else if let s = signature {
            facts = FirmwareFacts(firmware: .uefi, firmwareEvidence: "boot_params efi_loader_signature is \"\(s)\"")
        } else if bootParams != nil {
            facts = FirmwareFacts(
                firmware: .bios,
                firmwareEvidence: "no \(efiDirectory) and no EFI loader signature in boot_params (Xen gave dom0 no EFI information)")
        } else {
            facts = FirmwareFacts(firmware: .unknown, firmwareEvidence: "no \(efiDirectory) and boot_params unreadable")
        }

        // RSDP, first source that answers.
        var found: (UInt64, AcpiRsdpSource)?
        if let bytes = bootParams {
            if let a = Self.acpiRsdpAddress(bootParams: bytes) {
                found = (a, .bootParams)
            } else {
                notes.append("\(bootParamsFile): acpi_rsdp_addr (0x70) is 0")
            }
        }
        if found == nil {
            let systabFile = sysfsRoot.appending(Self.systabPath.components)
            do {
                let text = String(decoding: try SystemCalls.readFile(systabFile, limit: 1 << 16), as: UTF8.self)
                if let hit = Self.acpiRsdpAddress(systab: text) {
                    found = hit
                } else {
                    notes.append("\(systabFile): no ACPI20= or ACPI= line")
                }
            } catch {
                notes.append("\(systabFile): cannot read (\(error))")
            }
        }
        if let e = explicit {
            if let f = found, f.0 != e.address {
                notes.append("\(e.source.description) \(hex(e.address)) replaces \(hex(f.0)) from \(f.1.description)")
            }
            found = (e.address, e.source)
        }
        if let f = found {
            facts.acpiRsdp = f.0
            facts.acpiRsdpSource = f.1
        }
        facts.notes = notes
        return facts
    }

    /// boot_params `acpi_rsdp_addr` (8 bytes little-endian at 0x070); `nil` if 0 or short.
    static func acpiRsdpAddress(bootParams bytes: [UInt8]) -> UInt64? {
        guard bytes.count >= acpiRsdpOffset + 8 else { return nil }
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(bytes[acpiRsdpOffset + i]) }
        return v == 0 ? nil : v
    }

    /// boot_params `efi_info.efi_loader_signature` (0x1c0) if it names an EFI loader.
    static func efiLoaderSignature(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= efiLoaderSignatureOffset + 4 else { return nil }
        let raw = bytes[efiLoaderSignatureOffset..<(efiLoaderSignatureOffset + 4)]
        let text = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        return ["EL64", "EL32", "Xen"].contains(text) ? text : nil
    }

    /// `ACPI20=0x…`, else `ACPI=0x…`, from the systab attribute's `KEY=VALUE` lines.
    static func acpiRsdpAddress(systab text: String) -> (UInt64, AcpiRsdpSource)? {
        var values: [String: UInt64] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq])
            var value = line[line.index(after: eq)...]
            guard value.hasPrefix("0x") || value.hasPrefix("0X") else { continue }
            value = value.dropFirst(2)
            if let v = UInt64(value, radix: 16), v != 0, values[key] == nil { values[key] = v }
        }
        if let v = values["ACPI20"] { return (v, .efiSystabACPI20) }
        if let v = values["ACPI"] { return (v, .efiSystabACPI) }
        return nil
    }
}
