import Crypto
import KexecImage

/// The hash algorithms a UEFI signature database names, computed with swift-crypto: over
/// plain bytes (a certificate's to-be-signed part) or as an image's Authenticode hash.
/// SHA-224 has no swift-crypto implementation: `nil`.
enum AuthenticodeDigest {
    static func hash(_ bytes: [UInt8], _ algorithm: EFISignatureList.Hash) -> [UInt8]? {
        switch algorithm {
        case .sha1: Array(Insecure.SHA1.hash(data: bytes))
        case .sha224: nil
        case .sha256: Array(SHA256.hash(data: bytes))
        case .sha384: Array(SHA384.hash(data: bytes))
        case .sha512: Array(SHA512.hash(data: bytes))
        }
    }

    /// The image's Authenticode hash with `algorithm` (`nil` for SHA-224).
    static func image(_ image: [UInt8], pe: PEImage, _ algorithm: EFISignatureList.Hash) throws(AuthenticodeError) -> [UInt8]? {
        switch algorithm {
        case .sha1: try AuthenticodeImageHash.digest(image, pe: pe, using: Insecure.SHA1.self)
        case .sha224: nil
        case .sha256: try AuthenticodeImageHash.digest(image, pe: pe, using: SHA256.self)
        case .sha384: try AuthenticodeImageHash.digest(image, pe: pe, using: SHA384.self)
        case .sha512: try AuthenticodeImageHash.digest(image, pe: pe, using: SHA512.self)
        }
    }
}
