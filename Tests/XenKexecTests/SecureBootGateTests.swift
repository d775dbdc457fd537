import Foundation
import KexecImage
import KexecPlan
import KexecTrust
import SystemPackage
import Testing
@testable import XenKexec

/// The Secure Boot gate in front of the loader, against the recording fake: a refused
/// kernel makes no hypercall at all (not even a query), and nothing is recorded as armed.
/// dom0's sysfs (lockdown, efivarfs db/dbx) is a scratch tree.
@Suite struct SecureBootGateTests {
    /// A fake /sys: lockdown mode, `db` with the snakeoil certificate, optionally a `dbx`.
    static func sysfs(_ h: LoaderHarness, lockdown: String? = "none [integrity] confidentiality", dbx: [[UInt8]] = []) throws -> SecureBootSources {
        let k = try SignedKernels.get()
        let root = h.dir.path.appending("sysroot")
        let fm = FileManager.default
        if let lockdown {
            try fm.createDirectory(atPath: root.appending("sys/kernel/security").string, withIntermediateDirectories: true)
            try Data((lockdown + "\n").utf8).write(to: URL(fileURLWithPath: root.appending("sys/kernel/security/lockdown").string))
        }
        let efivars = root.appending("sys/firmware/efi/efivars")
        try fm.createDirectory(atPath: efivars.string, withIntermediateDirectories: true)
        try Data(SignedKernels.efivarfsFile(type: EFISignatureList.x509GUID, entries: [k.snakeoilDER]))
            .write(to: URL(fileURLWithPath: efivars.appending("db-d719b2cb-3d3a-4596-a3bc-dad00e67656f").string))
        if !dbx.isEmpty {
            try Data(SignedKernels.efivarfsFile(type: EFISignatureList.sha256GUID, entries: dbx))
                .write(to: URL(fileURLWithPath: efivars.appending("dbx-d719b2cb-3d3a-4596-a3bc-dad00e67656f").string))
        }
        return SecureBootSources(root: root)
    }

    static func gate(_ sources: SecureBootSources, _ policy: SignaturePolicy = SignaturePolicy()) -> SecureBootGate {
        SecureBootGate(sources: sources, policy: policy, fileTrust: FileTrustPolicy(allowedOwners: [SystemCalls.effectiveUserID]))
    }

    enum Refused: String, CaseIterable { case unsigned, tampered, untrusted, revoked }

    @Test(arguments: Refused.allCases)
    func refusedKernelMakesNoHypercall(_ which: Refused) async throws {
        let h = LoaderHarness()
        let k = try SignedKernels.get()
        let bytes = [Refused.unsigned: k.unsigned, .tampered: k.tampered, .untrusted: k.debian, .revoked: k.resigned][which]!
        let dbx = which == .revoked ? [try SignedKernels.imageSHA256(k.resigned)] : []
        let kernel = h.dir.file("vmlinuz-\(which)", bytes)
        let gate = Self.gate(try Self.sysfs(h, dbx: dbx))
        do throws(KexecError) {
            _ = try await h.loader.load(h.invocation(kernel, type: .crashEFI), gate: gate)
            Issue.record("a \(which) kernel was loaded")
        } catch {
            guard case .secureBootRefused(let r) = error, case .signature(let why, let kind) = r.reason else { Issue.record("\(error)"); return }
            #expect(kind == which.rawValue, "\(why)")
            #expect(r.kernel == kernel)
            #expect(r.because == "dom0 is locked down (integrity)")
        }
        #expect(h.hv.events.isEmpty)
        #expect(h.store.read(slot: .crashEFI).record == nil)
    }

    @Test func trustedKernelIsLoadedAsVerified() async throws {
        let h = LoaderHarness()
        let kernel = h.dir.file("vmlinuz-resigned", try SignedKernels.get().resigned)
        let (outcome, checked) = try await h.loader.load(h.invocation(kernel, type: .crashEFI), gate: Self.gate(try Self.sysfs(h)))
        guard case .verified(let signature, _, _) = checked else { Issue.record("\(checked)"); return }
        #expect(signature.anchorSource == "db")
        #expect(signature.chain.count == 1 && signature.chain[0].contains("SnakeOil"))
        #expect(outcome.record.type == .crashEFI)
        #expect(h.hv.events.contains { if case .load = $0 { true } else { false } })
    }

    @Test(arguments: [LoadType.crash, .default])
    func classicTypeUnderLockdownIsRefusedEvenWhenSigned(_ type: LoadType) async throws {
        let h = LoaderHarness()
        let kernel = h.dir.file("vmlinuz-resigned", try SignedKernels.get().resigned)
        let gate = Self.gate(try Self.sysfs(h))
        do throws(KexecError) {
            _ = try await h.loader.load(h.invocation(kernel, type: type), gate: gate)
            Issue.record("loaded")
        } catch {
            guard case .secureBootRefused(let r) = error, case .classicTypeUnverifiable = r.reason else { Issue.record("\(error)"); return }
        }
        #expect(h.hv.events.isEmpty)
    }

    @Test func classicTypeWithOptInIsLoaded() async throws {
        let h = LoaderHarness()
        let kernel = h.dir.file("vmlinuz-unsigned", try SignedKernels.get().unsigned)
        let gate = Self.gate(try Self.sysfs(h), SignaturePolicy(allowUnverified: true))
        let (outcome, checked) = try await h.loader.load(h.invocation(kernel, type: .crash), gate: gate)
        guard case .allowedUnverified = checked else { Issue.record("\(checked)"); return }
        #expect(outcome.record.type == .crash)
        #expect(h.messages(.warning).contains { $0.contains("--allow-unverified-kernel") })
    }

    @Test func optInNeverOverridesARevocation() async throws {
        let h = LoaderHarness()
        let k = try SignedKernels.get()
        let kernel = h.dir.file("vmlinuz-resigned", k.resigned)
        let gate = Self.gate(try Self.sysfs(h, dbx: [try SignedKernels.imageSHA256(k.resigned)]), SignaturePolicy(allowUnverified: true))
        await #expect(throws: KexecError.self) { _ = try await h.loader.load(h.invocation(kernel, type: .crashEFI), gate: gate) }
        #expect(h.hv.events.isEmpty)
    }

    @Test func noLockdownNoPolicy() async throws {
        let h = LoaderHarness()
        let kernel = h.dir.file("vmlinuz-unsigned", try SignedKernels.get().unsigned)
        let gate = Self.gate(try Self.sysfs(h, lockdown: "[none] integrity confidentiality"))
        #expect(gate.activeBecause() == nil)
        let (_, checked) = try await h.loader.load(h.invocation(kernel, type: .crashEFI), gate: gate)
        #expect(checked == .notRequired)
    }

    @Test func requireSignatureWithoutLockdownRefusesUnsigned() async throws {
        let h = LoaderHarness()
        let kernel = h.dir.file("vmlinuz-unsigned", try SignedKernels.get().unsigned)
        let gate = Self.gate(try Self.sysfs(h, lockdown: nil), SignaturePolicy(requireSignature: true))
        #expect(gate.activeBecause() == "--require-signature")
        await #expect(throws: KexecError.self) { _ = try await h.loader.load(h.invocation(kernel, type: .crashEFI), gate: gate) }
        #expect(h.hv.events.isEmpty)
    }

    @Test func trustCertificateFileAnchorsTheDebianSigner() async throws {
        let h = LoaderHarness()
        let k = try SignedKernels.get()
        let signature = try #require(try AuthenticodeSignature.all(in: k.debian, pe: try PEImage.parse(k.debian)).first)
        let leaf = try #require(signature.certificates.first)
        let certFile = h.dir.file("debian-signer.der", try CertificateFile.der(leaf))
        let kernel = h.dir.file("vmlinuz-debian", k.debian)
        let gate = Self.gate(try Self.sysfs(h), SignaturePolicy(trustCertificates: [certFile]))
        let (_, checked) = try await h.loader.load(h.invocation(kernel, type: .crashEFI), gate: gate)
        guard case .verified(let v, _, _) = checked else { Issue.record("\(checked)"); return }
        #expect(v.anchorSource == "--trust-cert \(certFile)")
    }

    @Test func malformedDbxIsAnErrorNotIgnored() throws {
        let h = LoaderHarness()
        let sources = try Self.sysfs(h)
        try Data([7, 0, 0, 0, 1, 2, 3]).write(to: URL(fileURLWithPath: sources.efivars.appending("dbx-d719b2cb-3d3a-4596-a3bc-dad00e67656f").string))
        #expect(throws: KexecError.self) { _ = try sources.trustStore(certificates: []) }
    }

    /// The bytes loaded must be the bytes verified.
    @Test func kernelChangedAfterVerificationIsNotSent() throws {
        let h = LoaderHarness()
        var invocation = h.invocation(h.kernelA, type: .crashEFI)
        invocation.expectedKernelSHA256 = String(repeating: "0", count: 64)
        #expect(throws: KexecError.self) { _ = try h.loader.load(invocation) }
        #expect(!h.hv.events.contains { if case .load = $0 { true } else { false } })
    }
}

/// For a UKI the image Xen runs is `.linux`: its own signature is what counts.
@Suite struct SecureBootGateUKITests {
    @Test func ukiAroundASignedKernelVerifiesThroughLinux() async throws {
        let h = LoaderHarness()
        let kernel = h.dir.file("uki-signed-linux.efi", makeUKI(linux: try SignedKernels.get().resigned))
        let (_, checked) = try await h.loader.load(h.invocation(kernel, type: .crashEFI), gate: SecureBootGateTests.gate(try SecureBootGateTests.sysfs(h)))
        guard case .verified(let v, _, _) = checked else { Issue.record("\(checked)"); return }
        #expect(v.chain.first?.contains("SnakeOil") == true)
    }

    @Test func ukiAroundAnUnsignedKernelIsRefused() async throws {
        let h = LoaderHarness()
        let kernel = h.dir.file("uki-unsigned-linux.efi", makeUKI(linux: try SignedKernels.get().unsigned))
        let gate = SecureBootGateTests.gate(try SecureBootGateTests.sysfs(h))
        do throws(KexecError) {
            _ = try await h.loader.load(h.invocation(kernel, type: .crashEFI), gate: gate)
            Issue.record("loaded")
        } catch {
            guard case .secureBootRefused(let r) = error, case .signature(_, let kind) = r.reason else { Issue.record("\(error)"); return }
            #expect(kind == "unsigned")
        }
        #expect(h.hv.events.isEmpty)
    }

    @Test func imageXenRunsIsTheLinuxSection() throws {
        let inner = try SignedKernels.get().resigned
        #expect(SecureBootGate.imageXenRuns(makeUKI(linux: inner)) == inner)
        #expect(SecureBootGate.imageXenRuns(inner) == inner)
    }
}
