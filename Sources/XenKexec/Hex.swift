/// Hex formatting (and the SHA-256 of payloads, hashed in PayloadBuffer.swift).
public enum Hex {
    /// Lowercase hex of `bytes`.
    public static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits: [Character] = Array("0123456789abcdef")
        var s = ""
        for b in bytes {
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 0xF)])
        }
        return s
    }

    /// `0x…` for a machine address.
    public static func address(_ v: UInt64) -> String {
        "0x" + String(v, radix: 16)
    }

    /// SHA-256 of a whole payload buffer, lowercase hex.
    public static func sha256(_ payload: PayloadBuffer) -> String {
        string(payload.sha256())
    }

    /// SHA-256 of part of a payload buffer, raw bytes.
    public static func sha256(_ slice: PayloadSlice) -> [UInt8] {
        slice.sha256()
    }
}
