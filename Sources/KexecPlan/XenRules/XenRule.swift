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

    /// What the rule requires, in one line.
    public var summary: String {
        switch self {
        case .tooManySegments: "nr_segments must be below KEXEC_SEGMENT_MAX (16)"
        case .unknownType: "type must be 0 (DEFAULT) or 1 (CRASH), or 3 (CRASH_EFI) on a Xen with the v2 series"
        case .entryOutsideCrashRegion: "type 1: crash.start <= entry_maddr <= crash.start + crash.size (end inclusive)"
        case .segmentOutsideCrashRegion: "types 1/3: every segment with a buffer lies inside the crash region"
        case .segmentNotPageAligned: "dest_maddr and dest_maddr + dest_size are multiples of 4 KiB"
        case .segmentEndWraps: "type 3 (test Xen): dest_maddr + dest_size neither wraps past 2^64 nor ends inside the last page"
        case .segmentsOverlap: "no two segments (buffer-less ones included) overlap"
        case .bufferLargerThanDestination: "buf_size <= dest_size"
        case .noControlPage: "crash types: free pages in the crash region for the control page, the indirection page and their page tables"
        case .emptyBufferlessSegment: "a segment without a buffer has dest_size > 0"
        case .noPageTablePage: "crash types: free pages in the crash region for the page tables mapping every segment page"
        case .efiSegment0Unusable: "type 3 (test Xen): segment 0 has a buffer of at least 0x234 bytes"
        case .efiArchNotX86_64: "type 3 (test Xen): arch is EM_X86_64 (62); EM_386 would enter 64-bit code in 32-bit mode"
        case .efiKernelHeaderInvalid: "type 3: segment 0 holds \"HdrS\" at 0x202 and version >= 0x0202"
        case .efiKernelAlignmentInvalid: "type 3: kernel_alignment is a multiple of 2 MiB in [2 MiB, 16 MiB]"
        case .efiKernelNotAligned: "type 3: (dest_maddr(0) + kern16_size) % kernel_alignment == 0"
        case .unsupportedArch: "arch is EM_386 (3) or EM_X86_64 (62)"
        case .noPageTableForRelocationCode: "crash types: one more free page set for mapping kexec_reloc at Xen's virtual address"
        }
    }
}
