import KexecImage

/// Why an image's Authenticode signature could not even be read: the image hash cannot be
/// computed, or the PKCS#7 SignedData is malformed. Each case names the field and, where the
/// bytes come from the image, its file offset.
public enum AuthenticodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A PE header field points outside the image (field, offset of the field, value).
    case headerFieldOutOfRange(field: String, offset: Int, value: Int, fileSize: Int)
    /// A WIN_CERTIFICATE entry is not usable (offset of the entry in the file).
    case badCertificateEntry(offset: Int, reason: String)
    /// The PKCS#7 structure does not parse (which structure, what went wrong; offset of the
    /// WIN_CERTIFICATE entry that holds it).
    case malformedSignature(structure: String, reason: String, entryOffset: Int)

    public var description: String {
        switch self {
        case .headerFieldOutOfRange(let field, let offset, let value, let size):
            return "\(field) at offset \(hex(offset)) is \(hex(value)), outside the \(size)-byte image"
        case .badCertificateEntry(let offset, let reason):
            return "WIN_CERTIFICATE at offset \(hex(offset)): \(reason)"
        case .malformedSignature(let structure, let reason, let offset):
            return "\(structure) in the WIN_CERTIFICATE at offset \(hex(offset)) is malformed: \(reason)"
        }
    }
}
