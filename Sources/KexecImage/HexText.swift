/// `0x…` lower-case hexadecimal, the way addresses, offsets and field values are printed
/// everywhere in this project (messages, plans, JSON).
public func hex<T: BinaryInteger>(_ value: T) -> String {
    "0x" + String(value, radix: 16)
}

/// `0x` and at least `digits` lower-case hexadecimal digits, zero-padded on the left: header
/// fields whose width is part of how they read (the boot protocol version is `0x020f`).
public func hex<T: BinaryInteger>(_ value: T, digits: Int) -> String {
    let s = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, digits - s.count)) + s
}

/// Lower-case hexadecimal digits of `bytes`, two per byte and no prefix (digests).
public func hexDigits<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.underestimatedCount * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}
