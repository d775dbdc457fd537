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
    /// The bytes at ``acpiRsdp`` read from dom0's `/dev/mem` (36), `nil` if unreadable.
    public var acpiRsdpBytes: [UInt8]?
    /// What each source said, in the order tried (for `-v`).
    public var notes: [String]
    /// What the administrator should know even without `-v`: that a crash kernel may boot
    /// without ACPI and nothing could tell (logged as warnings by every command that plans).
    public var warnings: [String] = []

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
/// The RSDP's bytes are read from `memoryDevice` (`/dev/mem`; a PV dom0 maps the host's
/// non-RAM ranges 1:1, Linux `arch/x86/xen/setup.c`, `xen_set_identity_and_remap`) for the
/// planner to validate (``AcpiRsdpCheck``); lockdown forbids `/dev/mem`
/// (`LOCKDOWN_DEV_MEM`), and then they are not checked (a note says so).
///
/// Firmware, from these signs in order: `uefi` if `firmware/efi` exists or boot_params'
/// `efi_loader_signature` (0x1c0) is "EL64", "EL32" or "Xen" (a PV dom0 gets EFI from Xen
/// through `XENPF_firmware_info(XEN_FW_EFI_INFO)`: Linux `drivers/xen/efi.c`,
/// `xen_efi_probe`, and `arch/x86/xen/efi.c`, `xen_efi_init`, which sets that signature and
/// EFI_BOOT, so `/sys/firmware/efi` appears). Without those (Xen booted without EFI, or
/// does not give dom0 its EFI information) and without an RSDP address, the BIOS areas are
/// scanned as a new kernel scans them (``AcpiRsdpLegacyScan``): an RSDP there means `bios`
/// (the crash kernel finds it itself); none there while dom0 has ACPI tables
/// (`firmware/acpi/tables`) means the firmware keeps it where only UEFI tells, so `uefi`
/// (and the missing RSDP is refused); none and no ACPI in dom0 means `bios` with a warning,
/// and so does a scan that cannot read `/dev/mem`. `unknown` when boot_params are
/// unreadable.
public struct FirmwareDiscovery: Sendable {
    public var sysfsRoot: FilePath
    public var explicit: ExplicitAcpiRsdp?
    /// Machine memory as dom0 reads it: `/dev/mem`, a scratch file in tests.
    public var memoryDevice: FilePath

    public init(sysfsRoot: FilePath = "/sys", explicit: ExplicitAcpiRsdp? = nil, memoryDevice: FilePath = "/dev/mem") {
        self.sysfsRoot = sysfsRoot
        self.explicit = explicit
        self.memoryDevice = memoryDevice
    }

    /// dom0's live sysfs, no explicit address.
    public static let live = FirmwareDiscovery()

    static let bootParamsPath: FilePath = "kernel/boot_params/data"
    static let efiDirectoryPath: FilePath = "firmware/efi"
    static let systabPath: FilePath = "firmware/efi/systab"
    static let acpiTablesPath: FilePath = "firmware/acpi/tables"
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
        let memory = MachineMemory(device: memoryDevice)
        if let f = found {
            facts.acpiRsdp = f.0
            facts.acpiRsdpSource = f.1
            switch memory.read(f.0, AcpiRsdp.version2Length) {
            case .success(let bytes): facts.acpiRsdpBytes = bytes
            case .failure(let e): notes.append("\(memoryDevice): cannot read the RSDP at \(hex(f.0)) (\(e)); its contents are not checked")
            }
        } else if facts.firmware == .bios {
            decideWithoutRsdp(&facts, memory: memory)
        }
        facts.notes = notes
        return facts
    }

    /// No EFI sign and no RSDP address: whether the new kernel finds the RSDP by itself.
    func decideWithoutRsdp(_ facts: inout FirmwareFacts, memory: MachineMemory) {
        var failure: Errno?
        let hit = AcpiRsdpLegacyScan.find { address, count in
            switch memory.read(address, count) {
            case .success(let b): return b
            case .failure(let e): failure = failure ?? e; return nil
            }
        }
        let tables = sysfsRoot.appending(Self.acpiTablesPath.components)
        if let address = hit {
            facts.firmwareEvidence += "; the ACPI RSDP is at \(hex(address)) in the BIOS area, where a new kernel finds it itself"
        } else if let e = failure {
            facts.warnings.append(
                "no ACPI RSDP address is known and \(memoryDevice) cannot be read (\(e)) to check that a new kernel "
                    + "finds one in the BIOS area; if this host booted by UEFI the crash kernel will run without ACPI: "
                    + AcpiRsdpProblem.override)
        } else if SystemCalls.hasEntries(tables) {
            facts.firmware = .uefi
            facts.firmwareEvidence = "Xen gave dom0 no EFI information, but dom0 has ACPI tables (\(tables)) and no "
                + "ACPI RSDP lies in the BIOS area (EBDA, 0xe0000-0xfffff), so the firmware keeps it where only UEFI says"
        } else {
            facts.warnings.append(
                "dom0 runs without ACPI (no \(tables), no ACPI RSDP in the BIOS area), and so will the crash kernel")
        }
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
