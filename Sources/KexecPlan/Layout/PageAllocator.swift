/// Hands out whole 4 KiB pages of a set of free ranges, top-down, so no two
/// segments ever share a page (Xen copies and zeroes whole pages: xen/common/kimage.c
/// `kimage_load_crash_segment`) and every segment stays where Xen's checks want it.
struct PageAllocator {
    /// Free, page-aligned ranges, sorted.
    private(set) var holes: [AddressRange]

    init(free ranges: [AddressRange]) {
        holes = ranges.compactMap { r -> AddressRange? in
            guard let e = r.end, let s = Checked.pageUp(r.start) else { return nil }
            let pe = Checked.pageDown(e)
            return pe > s ? AddressRange(start: s, size: pe - s) : nil
        }.sorted()
    }

    /// Reserves pages for `[A - headroom, A + size)` where `A % alignment == 0`, the highest
    /// such `A` with `A + size <= limit` when a limit is given. Returns `A`, or nil if nothing fits.
    mutating func allocate(size: UInt64, alignment: UInt64 = Checked.page, headroom: UInt64 = 0, limit: UInt64? = nil) -> UInt64? {
        for i in holes.indices.reversed() {
            let h = holes[i]
            let hEnd = h.start + h.size
            let top = min(hEnd, limit ?? hEnd)
            guard let last = Checked.sub(top, size) else { continue }
            let a = Checked.alignDown(last, alignment)
            guard let lowEdge = Checked.sub(a, headroom), let highEdge = Checked.add(a, size),
                let pageHigh = Checked.pageUp(highEdge)
            else { continue }
            let pageLow = Checked.pageDown(lowEdge)
            guard pageLow >= h.start, pageHigh <= hEnd, highEdge <= top else { continue }
            take(index: i, AddressRange(start: pageLow, size: pageHigh - pageLow))
            return a
        }
        return nil
    }

    private mutating func take(index i: Int, _ r: AddressRange) {
        let h = holes[i]
        holes.remove(at: i)
        holes.insert(contentsOf: h.subtracting([r]), at: i)
    }
}
