/// Checked address arithmetic for the planner. Every helper returns `nil` instead of
/// wrapping, so a huge crash region or a crafted header can only produce a typed error.
enum Checked {
    /// The x86 page size Xen maps and copies in.
    static let page: UInt64 = 4096

    static func add(_ a: UInt64, _ b: UInt64) -> UInt64? {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? nil : r
    }

    static func sub(_ a: UInt64, _ b: UInt64) -> UInt64? {
        let (r, o) = a.subtractingReportingOverflow(b)
        return o ? nil : r
    }

    static func mul(_ a: UInt64, _ b: UInt64) -> UInt64? {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? nil : r
    }

    /// `value` rounded up to a multiple of `alignment` (a power of two or any non-zero value).
    static func alignUp(_ value: UInt64, _ alignment: UInt64) -> UInt64? {
        guard alignment > 0 else { return nil }
        let rem = value % alignment
        return rem == 0 ? value : add(value, alignment - rem)
    }

    /// `value` rounded down to a multiple of `alignment`.
    static func alignDown(_ value: UInt64, _ alignment: UInt64) -> UInt64 {
        alignment == 0 ? value : value - value % alignment
    }

    static func pageUp(_ value: UInt64) -> UInt64? { alignUp(value, page) }
    static func pageDown(_ value: UInt64) -> UInt64 { alignDown(value, page) }
}

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

/// Lower-case hexadecimal with a `0x` prefix, as the plan output and JSON write addresses.
public func hexAddress(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

/// Lower-case hexadecimal digits of `bytes` (digests).
public func hexDigits(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Human size: `256M`, `4K`, `1G`, or hex bytes when not a whole unit.
public func humanSize(_ v: UInt64) -> String {
    let units: [(UInt64, String)] = [(1 << 40, "T"), (1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")]
    for (u, s) in units where v >= u && v % u == 0 { return "\(v / u)\(s)" }
    return "\(v)"
}
