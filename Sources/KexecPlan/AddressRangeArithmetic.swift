extension AddressRange {
    /// The range widened to whole 4 KiB pages, or `nil` if its end overflows.
    var pageRounded: AddressRange? {
        guard let e = end, let ue = Checked.pageUp(e) else { return nil }
        let s = Checked.pageDown(start)
        return AddressRange(start: s, size: ue - s)
    }

    /// Builds `[start, end)`; `nil` if `end < start`.
    static func from(_ start: UInt64, to end: UInt64) -> AddressRange? {
        end >= start ? AddressRange(start: start, size: end - start) : nil
    }

    /// This range minus every range in `holes`, as sorted non-empty pieces.
    func subtracting(_ holes: [AddressRange]) -> [AddressRange] {
        guard let myEnd = end else { return [] }
        var pieces = [AddressRange(start: start, size: size)]
        for h in holes {
            guard let hEnd = h.end, h.size > 0 else { continue }
            var next: [AddressRange] = []
            for p in pieces {
                let pEnd = p.start + p.size
                if hEnd <= p.start || h.start >= pEnd { next.append(p); continue }
                if h.start > p.start { next.append(AddressRange(start: p.start, size: h.start - p.start)) }
                if hEnd < pEnd { next.append(AddressRange(start: hEnd, size: pEnd - hEnd)) }
            }
            pieces = next
        }
        _ = myEnd
        return pieces.filter { $0.size > 0 }.sorted()
    }
}
