/// One check Xen applies to a `KEXEC_CMD_kexec_load`, in the order Xen applies them.
/// `docs/xen-rules.md` lists the same rules, one to one (a test compares them).
///
/// The corresponding hypercall is `KEXEC_CMD_kexec_load`.
public enum XenRule: String, CaseIterable, Sendable {
    case tooManySegments
    case unknownType
    case entryOutsideCrashRegion
    case segmentOutsideCrashRegion
    case segmentNotPageAligned
    case segmentEndWraps
    case segmentsOverlap
    case bufferLargerThanDestination
    case noControlPage
    case emptyBufferlessSegment
    case noPageTablePage
    case efiSegment0Unusable
    case efiArchNotX86_64
    case efiKernelHeaderInvalid
    case efiKernelAlignmentInvalid
    case efiKernelNotAligned
    case unsupportedArch
    case noPageTableForRelocationCode

    /// The errno Xen answers (negated in the hypercall's return value).
    public var errno: Int32 {
        switch self {
        case .tooManySegments, .unknownType, .segmentsOverlap, .bufferLargerThanDestination,
            .efiSegment0Unusable, .efiArchNotX86_64, .efiKernelHeaderInvalid, .efiKernelAlignmentInvalid, .efiKernelNotAligned, .unsupportedArch:
            XenErrno.EINVAL
        case .entryOutsideCrashRegion, .segmentOutsideCrashRegion, .segmentNotPageAligned, .segmentEndWraps:
            XenErrno.EADDRNOTAVAIL
        case .noControlPage, .emptyBufferlessSegment, .noPageTablePage, .noPageTableForRelocationCode:
            XenErrno.ENOMEM
        }
    }

    /// The Xen C function that makes the check.
    public var xenFunction: String {
        switch self {
        case .tooManySegments: "kexec_load (xen/common/kexec.c)"
        case .unknownType: "kimage_alloc (xen/common/kimage.c)"
        case .entryOutsideCrashRegion: "kimage_crash_alloc (xen/common/kimage.c)"
        case .segmentOutsideCrashRegion: "kimage_crash_alloc / v2 do_kimage_crash_alloc (xen/common/kimage.c)"
        case .segmentNotPageAligned: "do_kimage_alloc (xen/common/kimage.c; removed by v2 5/7)"
        case .segmentEndWraps: "do_kimage_alloc (test Xen only, tools/e2e/xen-efi)"
        case .segmentsOverlap: "do_kimage_alloc (xen/common/kimage.c)"
        case .bufferLargerThanDestination: "do_kimage_alloc (xen/common/kimage.c)"
        case .noControlPage: "do_kimage_alloc → kimage_alloc_crash_control_page, machine_kexec_add_page"
        case .emptyBufferlessSegment: "kimage_load_segment (xen/common/kimage.c)"
        case .noPageTablePage: "kimage_load_segment → machine_kexec_add_page (xen/arch/x86/machine_kexec.c)"
        case .efiSegment0Unusable: "machine_kexec_efi_setup (test Xen only, tools/e2e/xen-efi)"
        case .efiArchNotX86_64: "machine_kexec_efi_setup (test Xen only, tools/e2e/xen-efi)"
        case .efiKernelHeaderInvalid: "kimage_find_kernel_entry_maddr (v2 5/7, xen/arch/x86/kexec.c)"
        case .efiKernelAlignmentInvalid: "kimage_find_kernel_entry_maddr (v2 5/7, xen/arch/x86/kexec.c)"
        case .efiKernelNotAligned: "kimage_find_kernel_entry_maddr (v2 5/7, xen/arch/x86/kexec.c)"
        case .unsupportedArch: "machine_kexec_load (xen/arch/x86/machine_kexec.c)"
        case .noPageTableForRelocationCode: "machine_kexec_load → machine_kexec_add_page (xen/arch/x86/machine_kexec.c)"
        }
    }
}
