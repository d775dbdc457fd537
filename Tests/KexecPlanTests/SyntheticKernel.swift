/// Builds small bzImage-shaped files for tests: a valid setup header with chosen fields.
struct SyntheticKernel {
    var setupSects: UInt8 = 7  // kern16 = 0x1000
    var version: UInt16 = 0x020F
    var kernelAlignment: UInt32 = 0x20_0000
    var initSize: UInt32 = 0x40_0000
    var xloadflags: UInt16 = 0x7F
    var relocatable: UInt8 = 1
    var cmdlineSize: UInt32 = 0x7FF
    var protectedModeSize = 0x2_0000

    var kern16: Int { (Int(setupSects == 0 ? 4 : setupSects) + 1) * 512 }

    func bytes() -> [UInt8] {
        var b = [UInt8](repeating: 0, count: kern16 + protectedModeSize)
        func put(_ o: Int, _ v: UInt64, _ n: Int) { for i in 0..<n { b[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) } }
        b[0x1F1] = setupSects
        put(0x1F4, UInt64(protectedModeSize / 16), 4)  // syssize
        put(0x1FE, 0xAA55, 2)
        put(0x200, 0x6AEB, 2)  // jmp: header ends at 0x26c
        put(0x202, 0x5372_6448, 4)
        put(0x206, UInt64(version), 2)
        b[0x211] = 1  // LOADED_HIGH
        put(0x214, 0x10_0000, 4)
        put(0x22C, 0x7FFF_FFFF, 4)
        put(0x230, UInt64(kernelAlignment), 4)
        b[0x234] = relocatable
        b[0x235] = 21
        put(0x236, UInt64(xloadflags), 2)
        put(0x238, UInt64(cmdlineSize), 4)
        put(0x258, 0x100_0000, 8)
        put(0x260, UInt64(initSize), 4)
        for i in 0..<min(64, protectedModeSize) { b[kern16 + i] = UInt8(truncatingIfNeeded: i &* 37 &+ 1) }
        return b
    }
}

/// Reads little-endian integers from test bytes.
func le<T: FixedWidthInteger>(_ b: [UInt8], _ o: Int, _: T.Type) -> T {
    var v: T = 0
    for i in 0..<(T.bitWidth / 8) { v |= T(b[o + i]) << (8 * i) }
    return v
}
