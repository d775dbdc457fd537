import Crypto
import Foundation
import KexecImage
@testable import KexecTrust
import Testing
import X509

/// Revocation as the firmware does it (EDK2 `DxeImageVerificationLib`): every dbx signature
/// type, every signer of every signature, and a revocation list that cannot be evaluated
/// refuses. Fixtures are signed at test time with sbsign and openssl (SigningFixtures).
@Suite struct RevocationTests {
    /// `image` signed once more by `key`/`cert` (sbsign appends a signature to a signed image).
    static func addSignature(_ image: String, key: String, cert: String, out: String) throws {
        try SigningFixtures.mustRun("sbsign", ["--key", key, "--cert", cert, "--output", out, image])
    }

    /// Written once per run, like `twoSignatureImage`: tests beside each other ask for it.
    static let snakeoilKeyFile: Result<String, SigningFixtures.Failure> = Result {
        let key = "\(try SigningFixtures.get().dir)/snakeoil.key"
        try SigningFixtures.mustRun("openssl", ["pkey", "-in", "/usr/share/ovmf/PkKek-1-snakeoil.key", "-passin", "pass:snakeoil", "-out", key])
        return key
    }.mapError { ($0 as? SigningFixtures.Failure) ?? SigningFixtures.Failure(description: "\($0)") }

    static func snakeoilKey(_ f: SigningFixtures) throws -> String {
        try snakeoilKeyFile.get()
    }

    /// The unsigned kernel signed by the throwaway key (untrusted), then by snakeoil (trusted).
    /// Made once per run: a static let is initialised once, by whichever test asks first, so a
    /// test running beside it never reads a file sbsign is still writing (a check for the
    /// file's existence let one read the first 4 MiB of it: CI of aefe60a, docs/e2e.md).
    static let twoSignatureImage: Result<[UInt8], SigningFixtures.Failure> = Result {
        let f = try SigningFixtures.get()
        let one = "\(f.dir)/two-sigs-1.efi", two = "\(f.dir)/two-sigs-2.efi"
        try addSignature(f.unsigned, key: "\(f.dir)/throwaway.key", cert: f.throwawayCert, out: one)
        try addSignature(one, key: try snakeoilKey(f), cert: f.snakeoilCert, out: two)
        return try SigningFixtures.bytes(two)
    }.mapError { ($0 as? SigningFixtures.Failure) ?? SigningFixtures.Failure(description: "\($0)") }

    static func twoSignatures(_ f: SigningFixtures) throws -> [UInt8] {
        try twoSignatureImage.get()
    }

    @Test func untrustedPlusTrustedSignatureIsAccepted() async throws {
        let f = try SigningFixtures.get()
        let image = try Self.twoSignatures(f)
        let pe = try PEImage.parse(image)
        #expect(try AuthenticodeSignature.all(in: image, pe: pe).count == 2)
        let verdict = await AuthenticodeVerifier.verify(image: image, trust: try TrustStoreBuilder.store(trusting: [f.snakeoilCert]))
        guard case .verified(let v) = verdict else { Issue.record("\(verdict)"); return }
        #expect(v.chain.first?.contains("SnakeOil") == true)
    }

    /// EDK2 checks every signer against dbx, the untrusted one included.
    @Test func aRevokedSignerRefusesEvenBesideATrustedOne() async throws {
        let f = try SigningFixtures.get()
        let image = try Self.twoSignatures(f)
        let throwaway = try TrustStoreBuilder.certificates(f.throwawayCert)[0]
        let verdict = await AuthenticodeVerifier.verify(
            image: image, trust: try TrustStoreBuilder.store(trusting: [f.snakeoilCert], dbx: [.certificate(throwaway)]))
        guard case .refused(.revoked(let what, "dbx")) = verdict else { Issue.record("\(verdict)"); return }
        #expect(what.contains("xen-kexec throwaway signer"))
    }

    /// EFI_CERT_X509_SHA256: the SHA-256 of a certificate's to-be-signed part revokes it.
    @Test func certificateToBeSignedHashRevokes() async throws {
        let f = try SigningFixtures.get()
        let snakeoil = try TrustStoreBuilder.certificates(f.snakeoilCert)[0]
        let tbs = Array(SHA256.hash(data: Array(snakeoil.tbsCertificateBytes)))
        let verdict = await AuthenticodeVerifier.verify(
            image: try SigningFixtures.bytes(f.resigned), trust: try TrustStoreBuilder.store(trusting: [f.snakeoilCert], dbx: [.certificateHash(.sha256, tbs)]))
        guard case .refused(.revoked(_, "dbx")) = verdict else { Issue.record("\(verdict)"); return }
    }

    /// A dbx image hash of another algorithm than SHA-256 (EFI_CERT_SHA384) revokes too.
    @Test func sha384ImageHashRevokes() async throws {
        let f = try SigningFixtures.get()
        let image = try SigningFixtures.bytes(f.resigned)
        let hash = try AuthenticodeImageHash.digest(image, pe: try PEImage.parse(image), using: SHA384.self)
        let verdict = await AuthenticodeVerifier.verify(image: image, trust: try TrustStoreBuilder.store(trusting: [f.snakeoilCert], dbx: [.imageHash(.sha384, hash)]))
        guard case .refused(.revoked(let what, "dbx")) = verdict else { Issue.record("\(verdict)"); return }
        #expect(what.contains("SHA-384"))
    }

    /// Every entry type of a signature database, as it parses; the size checks.
    @Test func everyDbxTypeParses() throws {
        let tbs = [UInt8](repeating: 0x11, count: 32) + [UInt8](repeating: 0, count: 16)
        let file = TrustStoreBuilder.efivarfsFile([
            TrustStoreBuilder.signatureList(type: EFISignatureList.certificateHashGUIDs[.sha256]!, entries: [tbs]),
            TrustStoreBuilder.signatureList(type: EFISignatureList.imageHashGUIDs[.sha512]!, entries: [[UInt8](repeating: 2, count: 64)]),
            TrustStoreBuilder.signatureList(type: EFISignatureList.imageHashGUIDs[.sha256]!, entries: [[UInt8](repeating: 3, count: 31) + [0]]),
        ])
        let entries = try EFISignatureList.parse(efivarfsFile: file)
        guard case .certificateHash(.sha256, let h) = entries[0] else { Issue.record("\(entries)"); return }
        #expect(h == [UInt8](repeating: 0x11, count: 32))
        guard case .imageHash(.sha512, _) = entries[1] else { Issue.record("\(entries)"); return }
        guard case .imageHash(.sha256, _) = entries[2] else { Issue.record("\(entries)"); return }
    }

    /// A dbx entry that cannot be evaluated refuses instead of being skipped.
    @Test(arguments: ["unreadable-x509", "rsa2048", "sha224", "wrong-size"])
    func anUnevaluableDbxEntryIsAnError(_ kind: String) throws {
        let entry: EFISignatureList.Entry
        switch kind {
        case "unreadable-x509": entry = EFISignatureList.entry(type: EFISignatureList.x509GUID, data: [0x30, 3, 1, 2, 3], offset: 32)
        case "rsa2048": entry = EFISignatureList.entry(type: EFISignatureList.guid("3c5766e8-269c-4e34-aa14-ed776e85b3b6"), data: [UInt8](repeating: 0, count: 256), offset: 32)
        case "sha224": entry = .imageHash(.sha224, [UInt8](repeating: 0, count: 28))
        default: entry = EFISignatureList.entry(type: EFISignatureList.sha256GUID, data: [UInt8](repeating: 0, count: 20), offset: 32)
        }
        var store = TrustStore()
        #expect(throws: RevocationListError.self) { try store.forbid([entry], source: "dbx") }
        store.allow([entry], source: "db")
        #expect(store.anchors.isEmpty && store.allowedHashes.isEmpty)
    }

    /// A SHA-1 Authenticode signature verifies, as EDK2's image verification (whose hash table
    /// lists SHA-1) accepts it; its SHA-1 image hash in dbx revokes it.
    @Test func sha1AuthenticodeIsAcceptedAsEDK2Does() async throws {
        let f = try SigningFixtures.get()
        let out = "\(f.dir)/sha1.efi"
        if !FileManager.default.fileExists(atPath: out) {
            try SigningFixtures.mustRun("osslsigncode", ["sign", "-h", "sha1", "-certs", f.snakeoilCert, "-key", try Self.snakeoilKey(f), "-in", f.unsigned, "-out", out])
        }
        let image = try SigningFixtures.bytes(out)
        let verdict = await AuthenticodeVerifier.verify(image: image, trust: try TrustStoreBuilder.store(trusting: [f.snakeoilCert]))
        guard case .verified(let v) = verdict else { Issue.record("\(verdict)"); return }
        #expect(v.digestAlgorithm == "SHA-1")
        let sha1 = try AuthenticodeImageHash.digest(image, pe: try PEImage.parse(image), using: Insecure.SHA1.self)
        let revoked = await AuthenticodeVerifier.verify(image: image, trust: try TrustStoreBuilder.store(trusting: [f.snakeoilCert], dbx: [.imageHash(.sha1, sha1)]))
        guard case .refused(.revoked(let what, "dbx")) = revoked else { Issue.record("\(revoked)"); return }
        #expect(what.contains("SHA-1"))
    }

    /// UEFI ignores validity dates (EDK2 verifies Authenticode without a time): a signer
    /// whose certificate expired in 2020 still verifies. Made with `openssl ca -startdate/-enddate`.
    @Test func anExpiredSignerCertificateIsAccepted() async throws {
        let f = try SigningFixtures.get()
        let d = "\(f.dir)/expired"
        let fm = FileManager.default
        if !fm.fileExists(atPath: "\(d)/signed.efi") {
            try? fm.removeItem(atPath: d)
            try fm.createDirectory(atPath: d, withIntermediateDirectories: true)
            fm.createFile(atPath: "\(d)/index.txt", contents: Data())
            try "01\n".write(toFile: "\(d)/serial", atomically: true, encoding: .utf8)
            try """
                [ca]
                default_ca = expired
                [expired]
                database = \(d)/index.txt
                serial = \(d)/serial
                new_certs_dir = \(d)
                default_md = sha256
                policy = anything
                x509_extensions = signer
                [anything]
                commonName = supplied
                [signer]
                basicConstraints = critical,CA:FALSE
                keyUsage = critical,digitalSignature
                extendedKeyUsage = codeSigning

                """.write(toFile: "\(d)/ca.cnf", atomically: true, encoding: .utf8)
            try SigningFixtures.mustRun("openssl", ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(d)/k.key", "-out", "\(d)/k.csr",
                                                    "-subj", "/CN=xen-kexec expired signer"])
            try SigningFixtures.mustRun("openssl", ["ca", "-batch", "-notext", "-config", "\(d)/ca.cnf", "-selfsign", "-keyfile", "\(d)/k.key",
                                                    "-in", "\(d)/k.csr", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-out", "\(d)/k.pem"])
            try SigningFixtures.mustRun("\(SigningFixtures.repoRoot)/tools/resign-kernel.sh", [f.unsigned, "\(d)/signed.efi"],
                                        environment: ["RESIGN_KEY": "\(d)/k.key", "RESIGN_CERT": "\(d)/k.pem", "RESIGN_PASS": ""])
        }
        let cert = try TrustStoreBuilder.certificates("\(d)/k.pem")[0]
        #expect(cert.notValidAfter < Date(timeIntervalSince1970: 1_600_000_000))
        let verdict = await AuthenticodeVerifier.verify(image: try SigningFixtures.bytes("\(d)/signed.efi"), trust: try TrustStoreBuilder.store(trusting: ["\(d)/k.pem"]))
        guard case .verified(let v) = verdict else { Issue.record("\(verdict)"); return }
        #expect(v.chain.first?.contains("expired signer") == true)
    }

    /// A certificate table cut short is malformed, never unsigned.
    @Test func truncatedCertificateTableIsMalformed() async throws {
        let f = try SigningFixtures.get()
        var image = try SigningFixtures.bytes(f.resigned)
        let table = try #require(try PEImage.parse(image).certificateTable)
        image.removeLast(image.count - (table.offset + table.size / 2))
        let verdict = await AuthenticodeVerifier.verify(image: image, trust: try TrustStoreBuilder.store(trusting: [f.snakeoilCert]))
        switch verdict {
        case .refused(.malformed), .refused(.notPE): break
        default: Issue.record("\(verdict)")
        }
    }
}
