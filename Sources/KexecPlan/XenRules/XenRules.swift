import KexecImage

/// Xen's own load checks, offline: given a raw request and the crash region, the first
/// rule Xen would break (with its errno), or `nil` when Xen would accept the load.
///
/// Rules are applied in Xen's order (`kexec_load` in xen/common/kexec.c, then `kimage_alloc`,
/// `do_kimage_alloc` and `kimage_load_segments` in xen/common/kimage.c, then
/// `machine_kexec_load` in xen/arch/x86/machine_kexec.c; the v2 series' `kimage_alloc` and
/// `kimage_find_kernel_entry_maddr` where it changes them). Address arithmetic deliberately
/// mirrors Xen's C: `paddr_t` sums wrap modulo 2^64 here exactly as they do in `kimage.c`,
/// so a crafted request gets Xen's answer, not ours. The control-page rules simulate Xen's crash control-page allocator
/// (`kimage_alloc_crash_control_page`: first free page from the bottom of the crash region,
/// never going back) and the kexec page tables `machine_kexec_add_page` builds (one L4,
/// then an L3/L2/L1 page whenever an address needs one), so they are exact, not an estimate.
///
/// The corresponding hypercall is `KEXEC_CMD_kexec_load`.
public enum XenRules {
    /// Every rule, in the order Xen applies them.
    public static let allRules: [XenRule] = XenRule.allCases

    /// `KEXEC_SEGMENT_MAX`.
    public static let segmentMax = 16
    static let pageMask: UInt64 = ~0xFFF
    /// Xen's virtual address of `kexec_reloc` (text at `XEN_VIRT_START` 0xffff82d040000000):
    /// only which page-table pages it needs matters, and it shares none with a 1:1 mapping.
    static let relocationCodeVirtualAddress: UInt64 = 0xFFFF_82D0_4020_0000

    /// Bytes of segment 0 that the type-3 rules read (the setup header up to `init_size`).
    public static let efiHeaderLength = 0x270

    /// One profile's rules applied to a request: ``check(_:files:crashRegion:hypervisor:)``
    /// itself, or a unit test's wrapper around it (one that counts the calls).
    public typealias Check = @Sendable (KexecLoadRequest, SegmentFiles, AddressRange?, XenHypervisor) -> XenRuleViolation?

    /// The preflight of a load: every profile in `hypervisors` (``Planner/targetHypervisors(_:)``)
    /// applied once, in order, to the one request; the first violation, or `nil` when every
    /// profile accepts it.
    ///
    /// The corresponding hypercall is `KEXEC_CMD_kexec_load`.
    public static func firstViolation(
        _ request: KexecLoadRequest, files: SegmentFiles, crashRegion: AddressRange?, hypervisors: [XenHypervisor],
        check: Check = XenRules.check
    ) -> XenRuleViolation? {
        for hv in hypervisors {
            if let v = check(request, files, crashRegion, hv) { return v }
        }
        return nil
    }

    /// Applies Xen's checks to `request`.
    ///
    /// - Parameters:
    ///   - files: the bytes behind the request's `.file` segments (Xen reads segment 0's
    ///     setup header for type 3).
    ///   - crashRegion: `KEXEC_RANGE_MA_CRASH` ({0, 0} when nothing is reserved).
    ///   - hypervisor: which Xen's rules (`.xen417`, `.v2Series`, `.testXen`, …).
    public static func check(
        _ request: KexecLoadRequest, files: SegmentFiles = .none, crashRegion: AddressRange?, hypervisor: XenHypervisor
    ) -> XenRuleViolation? {
        let crashStart = crashRegion?.start ?? 0
        let crashEnd = crashStart &+ (crashRegion?.size ?? 0)
        let type = request.type

        // kexec_load: nr_segments >= KEXEC_SEGMENT_MAX.
        if request.segments.count >= segmentMax {
            return XenRuleViolation(hypervisor: hypervisor, rule: .tooManySegments, detail: "\(request.segments.count) segments; Xen takes at most \(segmentMax - 1)")
        }
        // v2 4/7: kimage_alloc widens every segment to whole pages before anything else.
        var segs = request.segments
        if hypervisor.roundedTypes.contains(type) {
            segs = segs.map(\.widenedToPages)
        }
        // kimage_alloc: switch on type.
        let isCrash: Bool
        switch type {
        case 0: isCrash = false
        case 1: isCrash = true
        case 3 where hypervisor.acceptsCrashEFI: isCrash = true
        default:
            return XenRuleViolation(hypervisor: hypervisor, rule: .unknownType, detail: "type \(type) is not a load type \(hypervisor.name) knows")
        }
        if type == 1 && (request.entryMaddr < crashStart || request.entryMaddr > crashEnd) {
            return XenRuleViolation(
                hypervisor: hypervisor,
                rule: .entryOutsideCrashRegion,
                detail: "entry \(hex(request.entryMaddr)) is outside the crash region [\(hex(crashStart)), \(hex(crashEnd))]")
        }
        // The test Xen's type 3: kimage_segment_pages everywhere below (the raw request is
        // kept for the wrap and buffer-size checks, which read the fields as sent).
        let wholePages = hypervisor.wholePagesTypes.contains(type)
        let raw = segs
        if wholePages { segs = segs.map(\.widenedToPages) }
        if isCrash {
            for (i, s) in segs.enumerated() where s.hasBuffer {
                let mend = s.dest &+ s.destSize
                if s.dest < crashStart || mend > crashEnd {
                    return XenRuleViolation(
                hypervisor: hypervisor,
                        rule: .segmentOutsideCrashRegion, segmentIndex: i,
                        detail: "segment \(i) [\(hex(s.dest)), \(hex(mend))) is not inside the crash region [\(hex(crashStart)), \(hex(crashEnd)))")
                }
            }
        }
        // do_kimage_alloc.
        if hypervisor.pageAlignedTypes.contains(type) {
            for (i, s) in segs.enumerated() {
                let mend = s.dest &+ s.destSize
                if s.dest & 0xFFF != 0 || mend & 0xFFF != 0 {
                    return XenRuleViolation(
                hypervisor: hypervisor,
                        rule: .segmentNotPageAligned, segmentIndex: i,
                        detail: "segment \(i) [\(hex(s.dest)), \(hex(mend))) does not start and end on 4 KiB pages")
                }
            }
        }
        if wholePages {
            // The test Xen's do_kimage_alloc: a type-3 end that wraps, or that PAGE_ALIGN would wrap.
            for (i, s) in raw.enumerated() {
                let mend = s.dest &+ s.destSize
                if mend < s.dest || mend > UInt64.max - 0xFFF {
                    return XenRuleViolation(
                hypervisor: hypervisor,
                        rule: .segmentEndWraps, segmentIndex: i,
                        detail: "segment \(i) at \(hex(s.dest)) + \(hex(s.destSize)) ends past the last page of the address space")
                }
            }
        }
        let overlapSegs = segs
        for i in overlapSegs.indices {
            let mstart = overlapSegs[i].dest, mend = mstart &+ overlapSegs[i].destSize
            for j in 0..<i {
                let pstart = overlapSegs[j].dest, pend = pstart &+ overlapSegs[j].destSize
                if mend > pstart && mstart < pend {
                    return XenRuleViolation(
                hypervisor: hypervisor,
                        rule: .segmentsOverlap, segmentIndex: i,
                        detail: "segment \(i) [\(hex(mstart)), \(hex(mend))) overlaps segment \(j) [\(hex(pstart)), \(hex(pend)))")
                }
            }
        }
        for (i, s) in raw.enumerated() where s.bufSize > s.destSize {
            return XenRuleViolation(
                hypervisor: hypervisor,
                rule: .bufferLargerThanDestination, segmentIndex: i,
                detail: "segment \(i) has buf_size \(hex(s.bufSize)) > dest_size \(hex(s.destSize))")
        }

        // Control pages and page tables. Default images take them from the domheap (not modelled).
        var tables = KexecPageTableModel(
            crashStart: crashStart, crashEnd: crashEnd, segments: segs, simulated: isCrash)
        for _ in 0..<2 {  // control code page, then the first indirection page
            guard let page = tables.allocateControlPage(), tables.map(virtual: page) else {
                return XenRuleViolation(
                hypervisor: hypervisor,
                    rule: .noControlPage,
                    detail: "the crash region has no free page left for Xen's control page, indirection page or their page tables (\(tables.allocated) pages taken); leave free pages at the bottom of the crash region")
            }
        }
        // kimage_load_segments.
        for (i, s) in segs.enumerated() {
            if !s.hasBuffer && s.destSize == 0 {
                return XenRuleViolation(
                hypervisor: hypervisor,
                    rule: .emptyBufferlessSegment, segmentIndex: i,
                    detail: "segment \(i) has no buffer and dest_size 0 (kimage_load_segment answers -ENOMEM)")
            }
            guard tables.mapRange(start: s.dest, size: s.destSize) else {
                return XenRuleViolation(
                hypervisor: hypervisor,
                    rule: .noPageTablePage, segmentIndex: i,
                    detail: "no free page left in the crash region for the page tables of segment \(i) (\(tables.allocated) pages taken for control and page tables); the region needs about 8 + one page per 2 MiB mapped free")
            }
        }
        // v2 5/7: kimage_efi_setup → kimage_find_kernel_entry_maddr.
        if type == 3 {
            if let v = efiHeaderViolation(request, files: files, hypervisor: hypervisor) { return v }
        }
        // kexec_load_slot → machine_kexec_load.
        if request.arch != KexecArch.i386 && request.arch != KexecArch.x86_64 {
            return XenRuleViolation(hypervisor: hypervisor, rule: .unsupportedArch, detail: "arch \(request.arch) is neither EM_386 (3) nor EM_X86_64 (62)")
        }
        guard tables.map(virtual: relocationCodeVirtualAddress) else {
            return XenRuleViolation(
                hypervisor: hypervisor,
                rule: .noPageTableForRelocationCode,
                detail: "no free page left in the crash region to map kexec_reloc (\(tables.allocated) pages taken)")
        }
        return nil
    }

    static func efiHeaderViolation(_ request: KexecLoadRequest, files: SegmentFiles, hypervisor: XenHypervisor) -> XenRuleViolation? {
        guard let s0 = request.segments.first else {
            return XenRuleViolation(hypervisor: hypervisor, rule: .efiKernelHeaderInvalid, segmentIndex: 0, detail: "type 3 with no segment: Xen reads segments[0] out of bounds")
        }
        // The test Xen refuses, before reading the header, what v2 would read out of bounds or
        // enter in the wrong mode (tools/e2e/xen-efi, found by the fidelity-efi scenario).
        if hypervisor.efiRequiresFullHeaderAndX86_64 {
            if !s0.hasBuffer || s0.bufSize < 0x234 {
                return XenRuleViolation(hypervisor: hypervisor, rule: .efiSegment0Unusable, segmentIndex: 0, detail: "segment 0 has \(s0.hasBuffer ? "only \(s0.bufSize) bytes" : "no buffer"); the test Xen needs the setup header up to 0x234")
            }
            if request.arch != KexecArch.x86_64 {
                return XenRuleViolation(hypervisor: hypervisor, rule: .efiArchNotX86_64, detail: "arch \(request.arch): KEXEC_TYPE_CRASH_EFI enters startup_64, so arch must be EM_X86_64 (62)")
            }
        }
        let d = s0.dest
        // The bytes Xen sees: what the crash copy left in the page(s) at dest (or its page start).
        let offsetInPage = hypervisor.readsEFIHeaderAtPageStart ? Int(d & 0xFFF) : 0
        var page = [UInt8](repeating: 0, count: efiHeaderLength)
        let header = files.prefix(of: s0.source, count: efiHeaderLength)
        for p in min(offsetInPage, page.count)..<page.count {
            let i = p - offsetInPage
            if i < header.count { page[p] = header[i] }
        }
        let h = EFIHeaderFields(bytes: page)!
        if !XenEFIHeaderRule.acceptsHeader(magic: h.magic, version: h.version) {
            let hint = offsetInPage != 0
                ? " (segment 0 starts \(hex(UInt64(offsetInPage))) into its page and this Xen reads the header at the page start)"
                : ""
            return XenRuleViolation(
                hypervisor: hypervisor,
                rule: .efiKernelHeaderInvalid, segmentIndex: 0,
                detail: "segment 0 header reads magic \(hex(UInt64(h.magic))) version \(hex(UInt64(h.version))); need \"HdrS\" and >= \(hex(UInt64(SetupHeader.minimumVersionForXenEFI)))\(hint)")
        }
        if !XenEFIHeaderRule.acceptsAlignment(h.alignment) {
            return XenRuleViolation(
                hypervisor: hypervisor,
                rule: .efiKernelAlignmentInvalid, segmentIndex: 0,
                detail: "kernel_alignment \(hex(UInt64(h.alignment))) is not a multiple of 2 MiB in [2 MiB, 16 MiB]")
        }
        if (d &+ h.kern16) % UInt64(h.alignment) != 0 {
            return XenRuleViolation(
                hypervisor: hypervisor,
                rule: .efiKernelNotAligned, segmentIndex: 0,
                detail: "dest(0) + kern16 = \(hex(d &+ h.kern16)) is not a multiple of kernel_alignment \(hex(UInt64(h.alignment)))")
        }
        return nil
    }
}

extension KexecSegment {
    /// The segment with its start rounded down and its end rounded up to 4 KiB pages, with
    /// Xen's wrapping `paddr_t` arithmetic (v2 4/7 `kimage_alloc`).
    var widenedToPages: KexecSegment {
        var r = self
        let mend = dest &+ destSize
        r.dest = dest & XenRules.pageMask
        r.destSize = ((mend &+ 0xFFF) & XenRules.pageMask) &- r.dest
        return r
    }
}

/// The four setup-header fields `kimage_find_kernel_entry_maddr` reads.
struct EFIHeaderFields {
    var setupSects: UInt8
    var magic: UInt32
    var version: UInt16
    var alignment: UInt32

    init?(bytes: [UInt8]) {
        guard bytes.count >= 0x234 else { return nil }
        func le(_ o: Int, _ n: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<n { v |= UInt64(bytes[o + k]) << (8 * k) }
            return v
        }
        setupSects = bytes[0x1F1]
        magic = UInt32(le(0x202, 4))
        version = UInt16(le(0x206, 2))
        alignment = UInt32(le(0x230, 4))
    }

    var kern16: UInt64 { (UInt64(setupSects == 0 ? 4 : setupSects) + 1) * 512 }
}
