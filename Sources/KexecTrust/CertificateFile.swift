import FoundationEssentials
import SwiftASN1
import X509

/// Certificates from a file given with `--trust-cert`: PEM (one or more `CERTIFICATE`
/// blocks) or a single DER certificate.
public enum CertificateFile {
    public struct Unreadable: Error, Equatable, Sendable, CustomStringConvertible {
        public let reason: String
        public init(reason: String) { self.reason = reason }
        public var description: String { reason }
    }

    public static func certificates(_ bytes: [UInt8]) throws(Unreadable) -> [Certificate] {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("-----BEGIN CERTIFICATE-----") {
            var out: [Certificate] = []
            var rest = Substring(text)
            while let begin = rest.firstRange(of: "-----BEGIN CERTIFICATE-----") {
                guard let end = rest[begin.upperBound...].firstRange(of: "-----END CERTIFICATE-----") else {
                    throw Unreadable(reason: "a PEM CERTIFICATE block has no END line")
                }
                let block = String(rest[begin.lowerBound..<end.upperBound])
                do { out.append(try Certificate(pemEncoded: block)) } catch {
                    throw Unreadable(reason: "PEM certificate \(out.count + 1) does not parse: \(error)")
                }
                rest = rest[end.upperBound...]
            }
            return out
        }
        do { return [try Certificate(derEncoded: bytes)] } catch {
            throw Unreadable(reason: "neither a PEM CERTIFICATE nor a DER certificate: \(error)")
        }
    }
}

extension CertificateFile {
    /// The DER encoding of `certificate` (for writing a `--trust-cert` file).
    public static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}
