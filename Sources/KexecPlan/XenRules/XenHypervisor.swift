/// A hypervisor profile: which Xen's checks `XenRules` applies. The profiles differ only in
/// the switches below; `Planner.targetHypervisors(_:)` says which ones a load must satisfy.
///
/// The corresponding hypercall is `KEXEC_CMD_kexec_load`.
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
