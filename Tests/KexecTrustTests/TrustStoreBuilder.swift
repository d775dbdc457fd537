import Foundation
import KexecTrust
import SwiftASN1
import X509

/// Builds trust stores and efivarfs-style signature databases for the tests.
enum TrustStoreBuilder {
    static func certificates(_ path: String) throws -> [Certificate] {
        try CertificateFile.certificates(try SigningFixtures.bytes(path))
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    /// One EFI_SIGNATURE_LIST of `type` holding `entries` (owner GUID all zero).
    static func signatureList(type: [UInt8], entries: [[UInt8]]) -> [UInt8] {
        let size = 16 + (entries.first?.count ?? 0)
        var out = type
        func u32(_ v: Int) { for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
        u32(28 + size * entries.count)
        u32(0)
        u32(size)
        for e in entries { out += [UInt8](repeating: 0, count: 16) + e }
        return out
    }

    /// An efivarfs file: the 4-byte attributes (NV|BS|RT|time-based authenticated write) and lists.
    static func efivarfsFile(_ lists: [[UInt8]]) -> [UInt8] {
        [0x27, 0, 0, 0] + lists.flatMap { $0 }
    }

    /// A store that allows `anchors` (as `--trust-cert` would) and forbids `dbx`.
    static func store(trusting anchors: [String], dbx: [EFISignatureList.Entry] = []) throws -> TrustStore {
        var store = TrustStore()
        for path in anchors {
            for c in try certificates(path) { store.trust(c, source: "--trust-cert \(path)") }
        }
        if !dbx.isEmpty { try store.forbid(dbx, source: "dbx") }
        return store
    }
}
