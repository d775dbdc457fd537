import Crypto

/// Reads little-endian integers from test bytes.
func le<T: FixedWidthInteger>(_ b: [UInt8], _ o: Int, _: T.Type) -> T {
    var v: T = 0
    for i in 0..<(T.bitWidth / 8) { v |= T(b[o + i]) << (8 * i) }
    return v
}

/// swift-crypto's SHA-256 of `data`: the reference the generated routines are held to.
func sha256(_ data: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: data)) }

/// Lower-case hex digits of a digest.
func sha256Hex(digest: [UInt8]) -> String { digest.map { String($0 >> 4, radix: 16) + String($0 & 15, radix: 16) }.joined() }

/// Lower-case hex digits of swift-crypto's SHA-256 of `data`.
func sha256Hex(_ data: [UInt8]) -> String { sha256Hex(digest: sha256(data)) }
