/// Xen's KEXEC_TYPE_CRASH_EFI header rule, written once: segment 0 must hold a bzImage setup
/// header with the "HdrS" magic and boot protocol 2.02 or later, whose `kernel_alignment` is a
/// multiple of 2 MiB in [2 MiB, 16 MiB]. `BzImage.problems(for: .xenCrashEFI)` applies it to
/// the file, `XenRules` to the bytes Xen reads back from the destination.
///
/// The corresponding Xen function is `kimage_find_kernel_entry_maddr` (v2 5/7, xen/arch/x86/kexec.c).
public enum XenEFIHeaderRule {
    /// The smallest `kernel_alignment` Xen accepts, and the unit it must be a multiple of.
    public static let alignmentUnit: UInt32 = 0x20_0000
    /// The largest `kernel_alignment` Xen accepts.
    public static let maximumAlignment: UInt32 = 0x100_0000

    /// `"HdrS"` at 0x202 and `version` (0x206) at least 2.02.
    public static func acceptsHeader(magic: UInt32, version: UInt16) -> Bool {
        magic == SetupHeader.magic && version >= SetupHeader.minimumVersionForXenEFI
    }

    /// `kernel_alignment` (0x230) a multiple of 2 MiB in [2 MiB, 16 MiB].
    public static func acceptsAlignment(_ alignment: UInt32) -> Bool {
        alignment >= alignmentUnit && alignment <= maximumAlignment && alignment % alignmentUnit == 0
    }
}
