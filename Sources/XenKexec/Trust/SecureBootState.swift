import KexecPlan
import SystemPackage

/// Whether dom0 runs under Secure Boot or lockdown, from every source dom0 has, read once.
///
/// The Secure Boot policy applies when any source says so, and — failing closed — on a UEFI
/// host where no source can say that Secure Boot is off:
///
/// - `/sys/kernel/security/lockdown` (Linux `security/lockdown/lockdown.c`): the active mode
///   bracketed, `none [integrity] confidentiality`. When securityfs is not mounted and this
///   is the live root, it is mounted (`mount -t securityfs`), as root may.
/// - `boot_params.secure_boot` (offset 0x1EC of `/sys/kernel/boot_params/data`): Linux
///   `enum efi_secureboot_mode` — 0 unset, 1 unknown, 2 disabled, 3 enabled. A PV dom0 gets
///   it from Xen (Linux `arch/x86/xen/efi.c`, `xen_efi_init` → `xen_efi_get_secureboot`).
/// - efivarfs `SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c` (EFI_GLOBAL_VARIABLE): a
///   4-byte attribute word, then one byte, 1 = Secure Boot on (UEFI 2.10 §3.3).
///
/// Firmware: UEFI if `/sys/firmware/efi` exists or boot_params' `efi_loader_signature`
/// (0x1C0) names an EFI loader (``FirmwareDiscovery``).
public struct SecureBootState: Equatable, Sendable {
    /// What one source said.
    public enum Answer: String, Equatable, Sendable {
        case on, off, unknown
    }

    /// One source's reading, for `range --json`, `status --json`, `inspect` and messages.
    public struct Reading: Equatable, Sendable {
        /// `lockdown`, `boot_params.secure_boot`, `efivarfs SecureBoot`.
        public var source: String
        public var answer: Answer
        /// What was read, or why nothing could be.
        public var detail: String
        /// What the tool did to read it (mounted securityfs), if anything.
        public var note: String?

        public init(source: String, answer: Answer, detail: String, note: String? = nil) {
            self.source = source
            self.answer = answer
            self.detail = detail
            self.note = note
        }
    }

    public var readings: [Reading]
    /// The firmware dom0 sees (UEFI, BIOS or unknown) and why.
    public var firmware: HostFirmware
    /// dom0's selected lockdown mode (`none`, `integrity`, `confidentiality`), when readable.
    public var lockdownMode: String?

    public init(readings: [Reading], firmware: HostFirmware, lockdownMode: String? = nil) {
        self.readings = readings
        self.firmware = firmware
        self.lockdownMode = lockdownMode
    }

    /// Why the host enforces the policy, or `nil` when dom0 can tell that it does not: the
    /// first source that says Secure Boot or lockdown is on; else, on a UEFI host (or one
    /// whose firmware cannot be told) where neither boot_params nor efivarfs says Secure
    /// Boot is off, "cannot tell".
    public var enforcedBecause: String? {
        if let on = readings.first(where: { $0.answer == .on }) { return on.because }
        let secureBootSaysOff = readings.contains { $0.answer == .off && $0.source != Self.lockdownSource }
        if firmware != .bios && !secureBootSaysOff {
            let tried = readings.map { "\($0.source): \($0.detail)" }.joined(separator: "; ")
            return "dom0 cannot tell whether Secure Boot is on (\(firmware.rawValue) firmware; \(tried))"
        }
        return nil
    }

    /// The source that decided: the first that says on, else `cannot-tell`, else `none`.
    public var decidedBy: String {
        if let on = readings.first(where: { $0.answer == .on }) { return on.source }
        return enforcedBecause == nil ? "none" : "cannot-tell"
    }

    static let lockdownSource = "lockdown"
    static let bootParamsSource = "boot_params.secure_boot"
    static let efivarSource = "efivarfs SecureBoot"
}

extension SecureBootState.Reading {
    /// The clause a refusal uses.
    var because: String {
        switch source {
        case SecureBootState.lockdownSource: "dom0 is locked down (\(detail))"
        default: "Secure Boot is on (\(source): \(detail))"
        }
    }
}

extension SecureBootSources {
    /// EFI_GLOBAL_VARIABLE, the `SecureBoot` variable's vendor GUID.
    static let globalVariableGUID = "8be4df61-93ca-11d2-aa0d-00e098032b8c"
    /// `boot_params.secure_boot` (Linux `arch/x86/include/uapi/asm/bootparam.h`).
    static let secureBootOffset = 0x1EC

    public var securityfs: FilePath { root.appending("sys/kernel/security") }
    public var bootParamsFile: FilePath { root.appending("sys/kernel/boot_params/data") }
    public var secureBootVariable: FilePath { efivars.appending("SecureBoot-\(Self.globalVariableGUID)") }

    /// Reads every source once. On the live root, mounts securityfs first when it is not
    /// mounted (only root can, and only root runs the loader).
    public func state() -> SecureBootState {
        var readings: [SecureBootState.Reading] = []
        let (lockdown, mode) = readLockdown()
        readings.append(lockdown)
        let bootParams = try? SystemCalls.readFile(bootParamsFile, limit: 4096)
        readings.append(Self.bootParamsReading(bootParams, file: bootParamsFile))
        if bootParams.flatMap(FirmwareDiscovery.efiLoaderSignature) != nil || SystemCalls.isDirectory(root.appending("sys/firmware/efi")) {
            _ = efivarsMounted()  // mounts efivarfs on the live root when it is not mounted
        }
        readings.append(readSecureBootVariable())
        let firmware: HostFirmware
        if SystemCalls.isDirectory(root.appending("sys/firmware/efi")) || bootParams.flatMap(FirmwareDiscovery.efiLoaderSignature) != nil {
            firmware = .uefi
        } else {
            firmware = bootParams == nil ? .unknown : .bios
        }
        return SecureBootState(readings: readings, firmware: firmware, lockdownMode: mode)
    }

    func readLockdown() -> (SecureBootState.Reading, String?) {
        var bytes = try? SystemCalls.readFile(lockdownFile, limit: 4096)
        var note: String?
        if bytes == nil, root == "/", SystemCalls.isDirectory(securityfs), !SystemCalls.hasEntries(securityfs) {
            switch SystemCalls.mount(type: "securityfs", at: securityfs) {
            case nil:
                note = "securityfs mounted at \(securityfs) by this tool"
                bytes = try? SystemCalls.readFile(lockdownFile, limit: 4096)
            case let e?:
                note = "mounting securityfs at \(securityfs) failed: \(e)"
            }
        }
        let source = SecureBootState.lockdownSource
        guard let bytes else { return (.init(source: source, answer: .unknown, detail: "\(lockdownFile) unreadable", note: note), nil) }
        guard let mode = Self.selectedLockdownMode(String(decoding: bytes, as: UTF8.self)) else {
            return (.init(source: source, answer: .unknown, detail: "\(lockdownFile) names no mode", note: note), nil)
        }
        return (.init(source: source, answer: mode == "none" ? .off : .on, detail: mode, note: note), mode)
    }

    static func bootParamsReading(_ bytes: [UInt8]?, file: FilePath) -> SecureBootState.Reading {
        let source = SecureBootState.bootParamsSource
        guard let bytes else { return .init(source: source, answer: .unknown, detail: "\(file) unreadable") }
        guard bytes.count > secureBootOffset else { return .init(source: source, answer: .unknown, detail: "\(file) is \(bytes.count) bytes") }
        switch bytes[secureBootOffset] {
        case 3: return .init(source: source, answer: .on, detail: "3 (enabled)")
        case 2: return .init(source: source, answer: .off, detail: "2 (disabled)")
        case 1: return .init(source: source, answer: .unknown, detail: "1 (unknown)")
        case 0: return .init(source: source, answer: .unknown, detail: "0 (unset)")
        case let v: return .init(source: source, answer: .unknown, detail: "\(v) (not a mode)")
        }
    }

    func readSecureBootVariable() -> SecureBootState.Reading {
        let source = SecureBootState.efivarSource
        let bytes: [UInt8]
        do { bytes = try SystemCalls.readFile(secureBootVariable, limit: 64) } catch {
            return .init(source: source, answer: .unknown, detail: "\(secureBootVariable) unreadable (\(error))")
        }
        guard bytes.count == EFISignatureListAttributes.size + 1 else {
            return .init(source: source, answer: .unknown, detail: "\(secureBootVariable) is \(bytes.count) bytes, not 5")
        }
        switch bytes[EFISignatureListAttributes.size] {
        case 1: return .init(source: source, answer: .on, detail: "1")
        case 0: return .init(source: source, answer: .off, detail: "0")
        case let v: return .init(source: source, answer: .unknown, detail: "\(v) (neither 0 nor 1)")
        }
    }
}

/// The efivarfs attribute word in front of every variable's data.
enum EFISignatureListAttributes {
    static let size = 4
}
