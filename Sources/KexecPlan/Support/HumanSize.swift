/// Human size: `256M`, `4K`, `1G`, or the decimal byte count when not a whole unit.
public func humanSize(_ v: UInt64) -> String {
    let units: [(UInt64, String)] = [(1 << 40, "T"), (1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")]
    for (u, s) in units where v >= u && v % u == 0 { return "\(v / u)\(s)" }
    return "\(v)"
}
