/// Xen's kexec load types (`xen/include/public/kexec.h`).
///
/// Value 2 is deliberately absent: upstream leaves it unassigned, kexec-tools uses it for
/// live update and XenServer for DEFAULT_EFI. Never send it.
public enum LoadType: UInt8, Sendable, CaseIterable, Codable {
    /// `KEXEC_TYPE_DEFAULT`: a kernel run by `KEXEC_CMD_kexec` with the whole machine.
    case `default` = 0
    /// `KEXEC_TYPE_CRASH`: a crash kernel entered through a purgatory when Xen panics.
    case crash = 1
    /// `KEXEC_TYPE_CRASH_EFI` (v2 series, not in a released Xen): the whole signed bzImage as
    /// segment 0, no purgatory, the boot_params address as the load's parameter, entry computed by Xen.
    case crashEFI = 3

    /// The name used on the command line and in JSON: `default`, `crash`, `crash-efi`.
    public var name: String {
        switch self {
        case .default: "default"
        case .crash: "crash"
        case .crashEFI: "crash-efi"
        }
    }

    public init?(name: String) {
        guard let t = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = t
    }

    /// Crash types live in Xen's crash slot and inside `KEXEC_RANGE_MA_CRASH`.
    public var isCrash: Bool { self != .default }

    /// The type used for unload/status/exec of this load (type 3 shares the crash slot).
    public var slot: LoadType { self == .crashEFI ? .crash : self }
}

/// ELF machine numbers Xen accepts as the load's `arch`.
public enum KexecArch {
    /// `EM_X86_64`: every plan this project makes (a 64-bit entry).
    public static let x86_64: UInt16 = 62
    /// `EM_386`: 32-bit entry; never used for KEXEC_TYPE_CRASH_EFI.
    public static let i386: UInt16 = 3
}
