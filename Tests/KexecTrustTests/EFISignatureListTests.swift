import KexecTrust
import Testing

/// efivarfs signature databases: attribute prefix, lists of X.509 and SHA-256 entries.
@Suite struct EFISignatureListTests {
    @Test func parsesCertificateHashAndOtherLists() throws {
        let f = try SigningFixtures.get()
        let cert = try TrustStoreBuilder.der(try TrustStoreBuilder.certificates(f.snakeoilCert)[0])
        let hashes = [[UInt8](repeating: 0xAB, count: 32), [UInt8](repeating: 0xCD, count: 32)]
        let sha1GUID: [UInt8] = [0x12, 0xa5, 0x6c, 0x82, 0x10, 0xcf, 0xc9, 0x4a, 0xb1, 0x87, 0xbe, 0x01, 0x49, 0x66, 0x31, 0xbd]
        let file = TrustStoreBuilder.efivarfsFile([
            TrustStoreBuilder.signatureList(type: EFISignatureList.x509GUID, entries: [cert]),
            TrustStoreBuilder.signatureList(type: EFISignatureList.sha256GUID, entries: hashes),
            TrustStoreBuilder.signatureList(type: sha1GUID, entries: [[UInt8](repeating: 1, count: 20)]),
        ])
        let entries = try EFISignatureList.parse(efivarfsFile: file)
        #expect(entries.count == 4)
        guard case .certificate(let c) = entries[0] else { Issue.record("\(entries[0])"); return }
        #expect("\(c.subject)".contains("SnakeOil"))
        guard case .imageHash(.sha256, let h) = entries[2] else { Issue.record("\(entries[2])"); return }
        #expect(h == hashes[1])
        guard case .imageHash(.sha1, _) = entries[3] else { Issue.record("\(entries[3])"); return }
        var store = TrustStore()
        store.allow(entries, source: "db")
        #expect(store.anchors.count == 1 && store.allowedHashes.count == 2)
        #expect(store.sources == ["db: 1 certificates, 2 image hashes, 1 entries not used"])
    }

    @Test func emptyVariableHasNoEntries() throws {
        #expect(try EFISignatureList.parse(efivarfsFile: [7, 0, 0, 0]).isEmpty)
    }

    @Test func listSizePastTheEndIsAnErrorWithOffset() throws {
        var list = TrustStoreBuilder.signatureList(type: EFISignatureList.sha256GUID, entries: [[UInt8](repeating: 0, count: 32)])
        list[16] = 0xFF
        #expect(throws: EFISignatureList.FormatError.self) { try EFISignatureList.parse(efivarfsFile: TrustStoreBuilder.efivarfsFile([list])) }
        do { _ = try EFISignatureList.parse(efivarfsFile: TrustStoreBuilder.efivarfsFile([list])) } catch {
            #expect(error.offset == 4)
        }
    }

    @Test func shorterThanTheAttributePrefixIsAnError() {
        #expect(throws: EFISignatureList.FormatError.self) { try EFISignatureList.parse(efivarfsFile: [1, 2]) }
    }

    @Test func unreadableCertificateIsKeptAsSuch() throws {
        let file = TrustStoreBuilder.efivarfsFile([TrustStoreBuilder.signatureList(type: EFISignatureList.x509GUID, entries: [[0x30, 0x03, 1, 2, 3]])])
        let entries = try EFISignatureList.parse(efivarfsFile: file)
        guard case .unreadable(let offset, "X509", _) = entries.first else { Issue.record("\(entries)"); return }
        #expect(offset == 4 + 28)
    }

    @Test func certificateFileReadsPEMAndDER() throws {
        let f = try SigningFixtures.get()
        let pem = try CertificateFile.certificates(try SigningFixtures.bytes(f.snakeoilCert))
        #expect(pem.count == 1)
        let der = try CertificateFile.certificates(try TrustStoreBuilder.der(pem[0]))
        #expect(der == pem)
        #expect(throws: CertificateFile.Unreadable.self) { try CertificateFile.certificates(Array("hello".utf8)) }
    }
}
