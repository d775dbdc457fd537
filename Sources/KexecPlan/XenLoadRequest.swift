/// One `xen_kexec_segment_t` as Xen sees it: no bytes, only what its checks read.
public struct XenSegmentDescriptor: Equatable, Hashable, Sendable {
    /// `buf.h` is non-NULL.
    public var hasBuffer: Bool
    /// `buf_size`.
    public var bufSize: UInt64
    /// `dest_maddr`.
    public var dest: UInt64
    /// `dest_size`.
    public var destSize: UInt64

    public init(hasBuffer: Bool, bufSize: UInt64, dest: UInt64, destSize: UInt64) {
        self.hasBuffer = hasBuffer
        self.bufSize = bufSize
        self.dest = dest
        self.destSize = destSize
    }
}

/// A raw, hypercall-shaped `KEXEC_CMD_kexec_load` request: any type byte, any arch, any
/// segment array — exactly what reaches Xen, so `XenRules` can be compared case by case with
/// the real hypervisor (`xen-kexec-fidelity`, docs/xen-rules.md).
///
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` (`xen_kexec_load_t`).
public struct XenLoadRequest: Equatable, Sendable {
    /// `type` (u8): 0 DEFAULT, 1 CRASH, 3 CRASH_EFI; anything else is refused by Xen.
    public var type: UInt8
    /// `arch` (u16): ELF machine, `EM_386` 3 or `EM_X86_64` 62.
    public var arch: UInt16
    /// `entry_maddr` (for type 3: `parameters`, the boot_params address).
    public var entry: UInt64
    public var segments: [XenSegmentDescriptor]
    /// For type 3: the first bytes (at least 0x26C; more is ignored) of segment 0's buffer,
    /// which Xen reads back from the destination to find the kernel's setup header.
    public var segment0Prefix: [UInt8]

    /// Bytes of segment 0 that the type-3 rules read (the setup header up to `init_size`).
    public static let segment0PrefixLength = 0x270

    public init(type: UInt8, arch: UInt16, entry: UInt64, segments: [XenSegmentDescriptor], segment0Prefix: [UInt8] = []) {
        self.type = type
        self.arch = arch
        self.entry = entry
        self.segments = segments
        self.segment0Prefix = segment0Prefix
    }
}

extension XenLoadRequest {
    /// The request a plan turns into. `segment0Prefix` must be the first bytes of segment 0's
    /// buffer when the plan is KEXEC_TYPE_CRASH_EFI (the planner and the backend both have them).
    public init(plan: LoadPlan, segment0Prefix: [UInt8] = []) {
        self.init(
            type: plan.type.rawValue, arch: plan.arch, entry: plan.entryOrParameters,
            segments: plan.segments.map {
                XenSegmentDescriptor(hasBuffer: !$0.isBufferless, bufSize: $0.bufSize, dest: $0.dest, destSize: $0.destSize)
            },
            segment0Prefix: segment0Prefix
        )
    }
}

/// Which hypervisor's checks to apply. The three differ only in the switches below.
public struct XenHypervisor: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var name: String
    /// KEXEC_TYPE_CRASH_EFI (3) is a known type.
    public var acceptsCrashEFI: Bool
    /// Types for which `dest_maddr` and `dest_maddr + dest_size` must be page aligned
    /// (Xen 4.17 `do_kimage_alloc`; removed for every type by v2 5/7).
    public var pageAlignedTypes: Set<UInt8>
    /// Types whose segments Xen widens to whole pages before any check (v2 4/7 `kimage_alloc`).
    public var roundedTypes: Set<UInt8>
    /// Types whose segments Xen treats as the whole pages they touch — crash-region
    /// containment, overlap, the control-page search, mapping and the empty-segment check —
    /// after refusing a segment whose end wraps (the test Xen's type 3, `kimage_segment_pages`).
    public var wholePagesTypes: Set<UInt8> = []
    /// Type 3 reads the setup header at the start of segment 0's *page* (v2 5/7 as posted),
    /// not at `dest_maddr`.
    public var readsEFIHeaderAtPageStart: Bool
    /// Type 3 needs segment 0 with at least 0x234 buffer bytes and arch EM_X86_64 (the test
    /// Xen's two checks beyond the v2 series).
    public var efiRequiresFullHeaderAndX86_64: Bool = false

    public var description: String { name }

    /// Debian's Xen 4.17 (and upstream master): types 0 and 1 only, page-aligned segments.
    public static let xen417 = XenHypervisor(
        name: "xen-4.17", acceptsCrashEFI: false, pageAlignedTypes: [0, 1, 3], roundedTypes: [],
        readsEFIHeaderAtPageStart: false)
    /// The upstream v2 series "x86/kexec: Secure Boot support" (2026-06-22) as posted.
    public static let v2Series = XenHypervisor(
        name: "xen-v2-series", acceptsCrashEFI: true, pageAlignedTypes: [], roundedTypes: [0, 1, 3],
        readsEFIHeaderAtPageStart: true)
    /// The v2 series with the header read at its in-page offset (what `--xen-reads-unaligned-header` asserts).
    public static let v2SeriesUnalignedHeader = XenHypervisor(
        name: "xen-v2-series-unaligned-header", acceptsCrashEFI: true, pageAlignedTypes: [], roundedTypes: [0, 1, 3],
        readsEFIHeaderAtPageStart: false)
    /// The project's test Xen (tools/e2e/xen-efi): Xen 4.17 plus type 3, where only type 3
    /// skips the alignment check (refusing instead an end that wraps) and is checked on the
    /// whole pages its segments touch.
    public static let testXen = XenHypervisor(
        name: "xen-4.17-test-efi", acceptsCrashEFI: true, pageAlignedTypes: [0, 1], roundedTypes: [],
        wholePagesTypes: [3], readsEFIHeaderAtPageStart: false,
        efiRequiresFullHeaderAndX86_64: true)
}
