/// Little-endian writes into a byte array, for building test images.
struct ByteWriter {
    var bytes: [UInt8]

    init(count: Int) { bytes = [UInt8](repeating: 0, count: count) }
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Grows the array with zeros so that `[offset, offset + length)` fits.
    mutating func ensure(_ end: Int) {
        if bytes.count < end { bytes += [UInt8](repeating: 0, count: end - bytes.count) }
    }

    mutating func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        ensure(offset + T.bitWidth / 8)
        for i in 0..<(T.bitWidth / 8) { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }
    mutating func u8(_ offset: Int, _ v: UInt8) { put(v, at: offset) }
    mutating func u16(_ offset: Int, _ v: UInt16) { put(v, at: offset) }
    mutating func u32(_ offset: Int, _ v: UInt32) { put(v, at: offset) }
    mutating func u64(_ offset: Int, _ v: UInt64) { put(v, at: offset) }

    mutating func put(_ data: [UInt8], at offset: Int) {
        ensure(offset + data.count)
        bytes.replaceSubrange(offset..<(offset + data.count), with: data)
    }
    mutating func put(_ text: String, at offset: Int) { put(Array(text.utf8), at: offset) }

    /// Appends `data` and returns the offset it starts at.
    @discardableResult
    mutating func append(_ data: [UInt8]) -> Int {
        let at = bytes.count
        bytes += data
        return at
    }

    /// Pads with zeros to a multiple of `alignment`.
    mutating func align(_ alignment: Int) {
        let rem = bytes.count % alignment
        if rem != 0 { bytes += [UInt8](repeating: 0, count: alignment - rem) }
    }
}

/// Little-endian read for assertions on built images.
func readLE<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int, as _: T.Type = T.self) -> T {
    var v: T = 0
    for i in 0..<(T.bitWidth / 8) { v |= T(bytes[offset + i]) << (8 * i) }
    return v
}
