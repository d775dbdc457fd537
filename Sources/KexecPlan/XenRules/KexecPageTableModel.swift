/// A model of the pages Xen takes from the crash region while it loads a crash image:
/// `kimage_alloc_crash_control_page` hands out the first page at or above `next_crash_page`
/// that overlaps no segment, and never goes back; `machine_kexec_add_page` takes one such
/// page for the L4 table, and one for every L3, L2 and L1 table an address needs.
///
/// For KEXEC_TYPE_DEFAULT these pages come from Xen's heap, so the model only records.
/// The corresponding C functions are `kimage_alloc_crash_control_page` and `machine_kexec_add_page`.
struct KexecPageTableModel {
    let crashStart: UInt64
    let crashEnd: UInt64
    let segments: [XenSegmentDescriptor]
    /// False for the default type: allocations always succeed.
    let simulated: Bool

    private var nextCrashPage: UInt64
    private var haveL4 = false
    private var l3Tables: Set<UInt64> = []  // keyed by vaddr >> 39
    private var l2Tables: Set<UInt64> = []  // keyed by vaddr >> 30
    private var l1Tables: Set<UInt64> = []  // keyed by vaddr >> 21
    /// Pages taken so far.
    private(set) var allocated = 0

    init(crashStart: UInt64, crashEnd: UInt64, segments: [XenSegmentDescriptor], simulated: Bool) {
        self.crashStart = crashStart
        self.crashEnd = crashEnd
        self.segments = segments
        self.simulated = simulated
        self.nextCrashPage = crashStart
    }

    /// `kimage_alloc_crash_control_page`: the first free page, or nil.
    mutating func allocateControlPage() -> UInt64? {
        guard simulated else {
            allocated += 1
            return 0x1000
        }
        var holeStart = (nextCrashPage &+ 0xFFF) & ~0xFFF
        var holeEnd = holeStart &+ 0x1000
        while holeEnd <= crashEnd && holeEnd > holeStart {
            var hit: XenSegmentDescriptor?
            for s in segments {
                let mend = s.dest &+ s.destSize
                if holeEnd > s.dest && holeStart < mend {
                    hit = s
                    break
                }
            }
            guard let s = hit else {
                nextCrashPage = holeEnd
                allocated += 1
                return holeStart
            }
            let mend = s.dest &+ s.destSize
            let next = (mend &+ 0xFFF) & ~0xFFF
            if next <= holeStart { return nil }  // a wrapped segment end: Xen would loop; report no page
            holeStart = next
            holeEnd = holeStart &+ 0x1000
        }
        return nil
    }

    /// `machine_kexec_add_page(vaddr)`: allocates the missing tables; false if a page is missing.
    mutating func map(virtual vaddr: UInt64) -> Bool {
        if !haveL4 {
            guard allocateControlPage() != nil else { return false }
            haveL4 = true
        }
        if !l3Tables.contains(vaddr >> 39) {
            guard allocateControlPage() != nil else { return false }
            l3Tables.insert(vaddr >> 39)
        }
        if !l2Tables.contains(vaddr >> 30) {
            guard allocateControlPage() != nil else { return false }
            l2Tables.insert(vaddr >> 30)
        }
        if !l1Tables.contains(vaddr >> 21) {
            guard allocateControlPage() != nil else { return false }
            l1Tables.insert(vaddr >> 21)
        }
        return true
    }

    /// `kimage_load_segment`'s loop: maps every page of `[start & PAGE_MASK, start + size)`.
    /// Pages in one 2 MiB block share all their tables, so one address per block suffices.
    mutating func mapRange(start: UInt64, size: UInt64) -> Bool {
        let end = start &+ size
        var addr = start & ~0xFFF
        guard simulated else { return true }
        guard end >= start else { return false }  // wraps: Xen would write past the end of memory
        while addr < end {
            guard map(virtual: addr) else { return false }
            let nextBlock = (addr >> 21 &+ 1) << 21
            if nextBlock <= addr { break }
            addr = nextBlock
        }
        return true
    }
}
