import Foundation
import KexecImage
import KexecTrust
import Testing
import X509

/// The verifier's verdicts next to `sbverify --cert`'s on real and re-signed kernels: both
/// must accept exactly the same (kernel, trusted certificate) pairs.
@Suite struct AuthenticodeVerifierTests {
    enum Expect: Equatable { case verified, unsigned, tampered, untrusted }

    struct Case: CustomStringConvertible, Sendable {
        let kernel: String
        let cert: String
        let expect: Expect
        var description: String { "\(kernel) against \(cert)" }
    }

    static let cases: [Case] = [
        Case(kernel: "resigned", cert: "snakeoil", expect: .verified),
        Case(kernel: "debian", cert: "snakeoil", expect: .untrusted),
        Case(kernel: "debian", cert: "debian-signer", expect: .verified),
        Case(kernel: "unsigned", cert: "snakeoil", expect: .unsigned),
        Case(kernel: "tampered", cert: "snakeoil", expect: .tampered),
        Case(kernel: "untrusted", cert: "snakeoil", expect: .untrusted),
        Case(kernel: "untrusted", cert: "throwaway", expect: .verified),
        Case(kernel: "chained", cert: "ca", expect: .verified),
        Case(kernel: "chained", cert: "snakeoil", expect: .untrusted),
        Case(kernel: "resigned", cert: "ca", expect: .untrusted),
    ]

    static func path(_ f: SigningFixtures, kernel: String) -> String {
        ["resigned": f.resigned, "debian": f.debian, "unsigned": f.unsigned, "tampered": f.tampered,
         "untrusted": f.untrusted, "chained": f.chained][kernel]!
    }

    /// The certificate file; `debian-signer` is the leaf certificate inside Debian's
    /// signature, written out as DER (Debian's CA itself is not on this machine).
    static func certPath(_ f: SigningFixtures, cert: String) throws -> String {
        switch cert {
        case "snakeoil": return f.snakeoilCert
        case "throwaway": return f.throwawayCert
        case "ca": return f.caCert
        default:
            let image = try SigningFixtures.bytes(f.debian)
            let signature = try #require(try AuthenticodeSignature.all(in: image, pe: try PEImage.parse(image)).first)
            let leaf = try #require(signature.certificates.first)
            let out = "\(f.dir)/debian-signer.pem"  // sbverify --cert reads PEM only
            try (try leaf.serializeAsPEM().pemString + "\n").write(toFile: out, atomically: true, encoding: .utf8)
            return out
        }
    }

    @Test(arguments: cases)
    func verdictAgreesWithSbverify(_ c: Case) async throws {
        let f = try SigningFixtures.get()
        let kernel = Self.path(f, kernel: c.kernel), cert = try Self.certPath(f, cert: c.cert)
        let sbverify = try SigningFixtures.run("sbverify", ["--cert", cert, kernel])
        #expect((sbverify.status == 0) == (c.expect == .verified), "sbverify said: \(sbverify.output)")

        let verdict = await AuthenticodeVerifier.verify(image: try SigningFixtures.bytes(kernel), trust: try TrustStoreBuilder.store(trusting: [cert]))
        switch (verdict, c.expect) {
        case (.verified(let v), .verified):
            #expect(v.anchorSource == "--trust-cert \(cert)")
            #expect(!v.chain.isEmpty)
            #expect(v.digestAlgorithm == "SHA-256")
        case (.refused(.unsigned), .unsigned), (.refused(.tampered), .tampered), (.refused(.untrusted), .untrusted):
            break
        default:
            Issue.record("expected \(c.expect), got \(verdict)")
        }
    }

    @Test func chainedSignatureReportsLeafAndCA() async throws {
        let f = try SigningFixtures.get()
        let verdict = await AuthenticodeVerifier.verify(image: try SigningFixtures.bytes(f.chained), trust: try TrustStoreBuilder.store(trusting: [f.caCert]))
        guard case .verified(let v) = verdict else { Issue.record("\(verdict)"); return }
        #expect(v.chain == ["CN=xen-kexec throwaway leaf", "CN=xen-kexec throwaway CA"])
    }

    @Test func untrustedNamesSignerAndIssuer() async throws {
        let f = try SigningFixtures.get()
        let verdict = await AuthenticodeVerifier.verify(image: try SigningFixtures.bytes(f.debian), trust: try TrustStoreBuilder.store(trusting: [f.snakeoilCert]))
        guard case .refused(.untrusted(let signer, let issuer, _)) = verdict else { Issue.record("\(verdict)"); return }
        #expect(signer.contains("Debian Secure Boot Signer"))
        #expect(issuer.contains("Debian Secure Boot CA"))
    }

    @Test func noAnchorsAtAllIsUntrusted() async throws {
        let f = try SigningFixtures.get()
        let verdict = await AuthenticodeVerifier.verify(image: try SigningFixtures.bytes(f.resigned), trust: TrustStore())
        guard case .refused(.untrusted) = verdict else { Issue.record("\(verdict)"); return }
    }

    @Test func imageHashInDbxRevokes() async throws {
        let f = try SigningFixtures.get()
        let image = try SigningFixtures.bytes(f.resigned)
        let hash = try AuthenticodeImageHash.sha256(image, pe: try PEImage.parse(image))
        let verdict = await AuthenticodeVerifier.verify(image: image, trust: try TrustStoreBuilder.store(trusting: [f.snakeoilCert], dbx: [.imageHash(.sha256, hash)]))
        #expect(verdict == .refused(.revoked(what: "the image's SHA-256 Authenticode hash \(hexDigits(hash))", source: "dbx")))
    }

    @Test func signerCertificateInDbxRevokes() async throws {
        let f = try SigningFixtures.get()
        let snakeoil = try TrustStoreBuilder.certificates(f.snakeoilCert)[0]
        let verdict = await AuthenticodeVerifier.verify(image: try SigningFixtures.bytes(f.resigned), trust: try TrustStoreBuilder.store(trusting: [f.snakeoilCert], dbx: [.certificate(snakeoil)]))
        guard case .refused(.revoked(_, let source)) = verdict else { Issue.record("\(verdict)"); return }
        #expect(source == "dbx")
    }

    @Test func caInDbxRevokesTheLeafItIssued() async throws {
        let f = try SigningFixtures.get()
        let ca = try TrustStoreBuilder.certificates(f.caCert)[0]
        let verdict = await AuthenticodeVerifier.verify(image: try SigningFixtures.bytes(f.chained), trust: try TrustStoreBuilder.store(trusting: [f.caCert], dbx: [.certificate(ca)]))
        guard case .refused(.revoked) = verdict else { Issue.record("\(verdict)"); return }
    }

    @Test func imageHashInDbAllowsAnUnsignedImage() async throws {
        let f = try SigningFixtures.get()
        let image = try SigningFixtures.bytes(f.unsigned)
        let hash = try AuthenticodeImageHash.sha256(image, pe: try PEImage.parse(image))
        var store = TrustStore()
        store.allow([.imageHash(.sha256, hash)], source: "db")
        guard case .verified(let v) = await AuthenticodeVerifier.verify(image: image, trust: store) else { Issue.record("not verified"); return }
        #expect(v.trustedByImageHash && v.anchorSource == "db")
    }

    @Test func notAPEImageIsRefused() async throws {
        let verdict = await AuthenticodeVerifier.verify(image: [UInt8](repeating: 0, count: 4096), trust: TrustStore())
        guard case .refused(.notPE) = verdict else { Issue.record("\(verdict)"); return }
    }

    /// A signature whose signed attributes were changed after signing (one byte of the
    /// messageDigest attribute) fails the PKCS#7 check, not the image-hash check.
    @Test func alteredMessageDigestIsABadSignature() async throws {
        let f = try SigningFixtures.get()
        var image = try SigningFixtures.bytes(f.resigned)
        let pe = try PEImage.parse(image)
        let signature = try #require(try AuthenticodeSignature.all(in: image, pe: pe).first)
        let digest = try #require(signature.signer.messageDigest)
        let table = try #require(pe.certificateTable)
        let region = Array(image[table.range])
        let at = try #require(Self.find(digest, in: region))
        image[table.offset + at] ^= 0x01
        let verdict = await AuthenticodeVerifier.verify(image: image, trust: try TrustStoreBuilder.store(trusting: [f.snakeoilCert]))
        guard case .refused(.badSignature) = verdict else { Issue.record("\(verdict)"); return }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for i in 0...(haystack.count - needle.count) where Array(haystack[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}
