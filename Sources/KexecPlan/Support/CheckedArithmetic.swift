/// Checked address arithmetic for the planner. Every helper returns `nil` instead of
/// wrapping, or (the `field:` forms) throws `PlanError.addressOverflow` naming the field, so
/// a huge crash region or a crafted header can only produce a typed error.
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

    // The same, for the planner's sizes: overflow is an error naming the field, never a
    // fallback value (as rust-vmm linux-loader's checked arithmetic does).

    static func add(_ a: UInt64, _ b: UInt64, field: String) throws(PlanError) -> UInt64 {
        guard let r = add(a, b) else { throw .addressOverflow(field) }
        return r
    }

    static func sub(_ a: UInt64, _ b: UInt64, field: String) throws(PlanError) -> UInt64 {
        guard let r = sub(a, b) else { throw .addressOverflow(field) }
        return r
    }

    static func mul(_ a: UInt64, _ b: UInt64, field: String) throws(PlanError) -> UInt64 {
        guard let r = mul(a, b) else { throw .addressOverflow(field) }
        return r
    }

    static func sum(_ values: [UInt64], field: String) throws(PlanError) -> UInt64 {
        var total: UInt64 = 0
        for v in values { total = try add(total, v, field: field) }
        return total
    }

    static func pageUp(_ value: UInt64, field: String) throws(PlanError) -> UInt64 {
        guard let r = pageUp(value) else { throw .addressOverflow(field) }
        return r
    }
}
