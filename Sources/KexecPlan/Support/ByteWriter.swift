/// Little-endian writes into a zero-filled buffer (boot_params, the ELF core header).
struct ByteWriter {
    var bytes: [UInt8]

    init(count: Int) { bytes = [UInt8](repeating: 0, count: count) }

    mutating func put(_ offset: Int, _ data: [UInt8]) {
        for (i, v) in data.enumerated() { bytes[offset + i] = v }
    }
    mutating func u8(_ offset: Int, _ v: UInt8) { bytes[offset] = v }
    mutating func u16(_ offset: Int, _ v: UInt16) { le(offset, UInt64(v), 2) }
    mutating func u32(_ offset: Int, _ v: UInt32) { le(offset, UInt64(v), 4) }
    mutating func u64(_ offset: Int, _ v: UInt64) { le(offset, v, 8) }
    private mutating func le(_ offset: Int, _ v: UInt64, _ n: Int) {
        for i in 0..<n { bytes[offset + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
    }
}
