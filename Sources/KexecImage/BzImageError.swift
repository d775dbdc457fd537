/// Why a file is not a bzImage this project can read. Each case names the field,
/// its byte offset and what was expected.
public enum BzImageError: Error, Equatable, Sendable {
    /// A header field lies past the end of the file.
    case truncated(ByteReaderError)
    /// `boot_flag` at 0x1FE is not 0xAA55.
    case badBootFlag(found: UInt16)
    /// `header` at 0x202 is not `"HdrS"`.
    case badMagic(found: UInt32)
    /// The real-mode part that `setup_sects` (0x1F1) declares does not fit in the file.
    case setupPastEnd(setupSects: UInt8, kern16Size: Int, fileSize: Int)
    /// `syssize` (0x1F4) declares more protected-mode code than the file holds.
    case syssizePastEnd(syssize: UInt32, declaredBytes: UInt64, available: Int)

    /// The file offset of the offending field.
    public var offset: Int {
        switch self {
        case .truncated(let e): e.offset
        case .badBootFlag: 0x1FE
        case .badMagic: 0x202
        case .setupPastEnd: 0x1F1
        case .syssizePastEnd: 0x1F4
        }
    }

    /// The setup-header field name.
    public var field: String {
        switch self {
        case .truncated(let e): e.field
        case .badBootFlag: "boot_flag"
        case .badMagic: "header"
        case .setupPastEnd: "setup_sects"
        case .syssizePastEnd: "syssize"
        }
    }
}

extension BzImageError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let e):
            "not a bzImage: \(e)"
        case .badBootFlag(let found):
            "not a bzImage: boot_flag at 0x1fe is \(hex(found)), expected 0xaa55"
        case .badMagic(let found):
            "not a bzImage: header at 0x202 is \(hex(found)), expected 0x53726448 (\"HdrS\")"
        case .setupPastEnd(let sects, let kern16, let size):
            "setup_sects at 0x1f1 is \(sects): the real-mode part (\(kern16) bytes) does not fit in the \(size)-byte file"
        case .syssizePastEnd(let syssize, let declared, let available):
            "syssize at 0x1f4 is \(hex(syssize)) paragraphs (\(declared) bytes), but only \(available) bytes follow the real-mode part"
        }
    }
}
