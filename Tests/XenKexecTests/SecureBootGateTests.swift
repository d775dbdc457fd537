import Foundation
import KexecImage
import KexecPlan
import KexecTrust
import SystemPackage
import Testing
@testable import XenKexec

/// The Secure Boot gate as a step of the loader's one pipeline, against the recording fake:
/// a refused kernel makes no hypercall at all (not even a query), nothing is recorded as
/// armed, and the bytes verified are the bytes sent. dom0's sysfs (lockdown, boot_params,
/// efivarfs db/dbx/SecureBoot) is a scratch tree.
@Suite struct SecureBootGateTests {
    static let imageSecurity = "d719b2cb-3d3a-4596-a3bc-dad00e67656f"

    /// A fake /sys: lockdown mode, `db` with the snakeoil certificate, optionally a `dbx`.
    static func sysfs(
        _ h: LoaderHarness, lockdown: String? = "none [integrity] confidentiality", dbx: [[UInt8]] = [], dbxType: [UInt8] = EFISignatureList.sha256GUID
    ) throws -> SecureBootSources {
        let k = try SignedKernels.get()
        let root = h.dir.path.appending("sysroot")
        if let lockdown { write(root.appending("sys/kernel/security/lockdown"), Array((lockdown + "\n").utf8)) }
        write(root.appending("sys/firmware/efi/efivars/db-\(imageSecurity)"), SignedKernels.efivarfsFile(type: EFISignatureList.x509GUID, entries: [k.snakeoilDER]))
        if !dbx.isEmpty {
            write(root.appending("sys/firmware/efi/efivars/dbx-\(imageSecurity)"), SignedKernels.efivarfsFile(type: dbxType, entries: dbx))
        }
        return SecureBootSources(root: root)
    }

    static func write(_ path: FilePath, _ bytes: [UInt8]) {
        var dir = path
        dir.removeLastComponent()
        try? FileManager.default.createDirectory(atPath: dir.string, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path.string, contents: Data(bytes))
    }

    static func gate(_ sources: SecureBootSources, _ policy: SignaturePolicy = SignaturePolicy()) -> SecureBootGate {
        SecureBootGate(sources: sources, policy: policy)
    }

    /// `load` through the harness's loader with `gate`, the error it threw (or nil).
    static func load(_ h: LoaderHarness, _ kernel: FilePath, type: LoadType = .crashEFI, gate: SecureBootGate) async -> (LoadOutcome?, KexecError?) {
        h.gate = gate
        do throws(KexecError) { return (try await h.loader.load(h.invocation(kernel, type: type)), nil) } catch { return (nil, error) }
    }

    enum Refused: String, CaseIterable { case unsigned, tampered, untrusted, revoked }

    @Test(arguments: Refused.allCases)
    func refusedKernelMakesNoHypercall(_ which: Refused) async throws {
        let h = LoaderHarness()
        let k = try SignedKernels.get()
        let bytes = [Refused.unsigned: k.unsigned, .tampered: k.tampered, .untrusted: k.debian, .revoked: k.resigned][which]!
        let dbx = which == .revoked ? [try SignedKernels.imageSHA256(k.resigned)] : []
        let kernel = h.dir.file("vmlinuz-\(which)", bytes)
        let (_, error) = await Self.load(h, kernel, gate: Self.gate(try Self.sysfs(h, dbx: dbx)))
        guard case .secureBootRefused(let r)? = error, case .signature(let why, let kind) = r.reason else { Issue.record("\(String(describing: error))"); return }
        #expect(kind == which.rawValue, "\(why)")
        #expect(r.kernel == kernel)
        #expect(r.because == "dom0 is locked down (integrity)")
        #expect(h.hv.hypercalls.isEmpty, "\(h.hv.eventNames)")
        #expect(h.store.read(slot: .crashEFI).record == nil)
    }

    /// The kernel is read once, verified as read, and those bytes are what Xen receives;
    /// the new kernel is planned locked down (boot_params.secure_boot and `lockdown=`).
    @Test func trustedKernelIsLoadedVerifiedAndLockedDown() async throws {
        let h = LoaderHarness()
        let k = try SignedKernels.get()
        let kernel = h.dir.file("vmlinuz-resigned", k.resigned)
        let (outcome, error) = await Self.load(h, kernel, gate: Self.gate(try Self.sysfs(h)))
        let loaded = try #require(outcome, "\(String(describing: error))")
        guard case .verified(let signature, let because, let coverage) = loaded.gate else { Issue.record("\(loaded.gate)"); return }
        #expect(signature.anchorSource == "db")
        #expect(signature.chain.count == 1 && signature.chain[0].contains("SnakeOil"))
        #expect(because == "dom0 is locked down (integrity)")
        #expect(coverage.verified == ["kernel"])
        #expect(coverage.notVerified == ["the initrd \(h.initrd) (a separate file)", "the command line given to the loader"])
        #expect(loaded.record.type == .crashEFI && loaded.record.lockdown == .integrity)
        #expect(h.planner.lastRequest?.lockdown == .integrity)
        // Parsed once: the parse the gate used is the one the planner gets.
        #expect(h.planner.lastParsed?.fileSize == k.resigned.count && h.planner.lastParsed?.format == .bzImage)
        #expect(h.hv.loads.first?.segments.first?.sha256 == sha256Hex(k.resigned))
        #expect(h.hv.events.filter { if case .allocate = $0 { true } else { false } }.count >= 2)
    }

    @Test(arguments: [LoadType.crash, .default])
    func classicTypeUnderLockdownIsRefusedBeforeAnyRead(_ type: LoadType) async throws {
        let h = LoaderHarness()
        let kernel = h.dir.file("vmlinuz-resigned", try SignedKernels.get().resigned)
        let (_, error) = await Self.load(h, kernel, type: type, gate: Self.gate(try Self.sysfs(h)))
        guard case .secureBootRefused(let r)? = error, case .classicTypeUnverifiable = r.reason else { Issue.record("\(String(describing: error))"); return }
        #expect(h.hv.events.isEmpty)
    }

    @Test func classicTypeWithOptInIsLoadedLockedDown() async throws {
        let h = LoaderHarness()
        let kernel = h.dir.file("vmlinuz-unsigned", try SignedKernels.get().unsigned)
        let (outcome, error) = await Self.load(h, kernel, type: .crash, gate: Self.gate(try Self.sysfs(h), SignaturePolicy(allowUnverified: true)))
        let loaded = try #require(outcome, "\(String(describing: error))")
        guard case .allowedUnverified = loaded.gate else { Issue.record("\(loaded.gate)"); return }
        #expect(loaded.record.type == .crash && loaded.record.lockdown == .integrity)
        #expect(h.messages(.warning).contains { $0.contains("--allow-unverified-kernel") })
    }

    @Test func optInNeverOverridesARevocation() async throws {
        let h = LoaderHarness()
        let k = try SignedKernels.get()
        let kernel = h.dir.file("vmlinuz-resigned", k.resigned)
        let gate = Self.gate(try Self.sysfs(h, dbx: [try SignedKernels.imageSHA256(k.resigned)]), SignaturePolicy(allowUnverified: true))
        let (_, error) = await Self.load(h, kernel, gate: gate)
        guard case .secureBootRefused(let r)? = error, case .signature(_, "revoked") = r.reason else { Issue.record("\(String(describing: error))"); return }
        #expect(h.hv.hypercalls.isEmpty)
    }

    /// A BIOS host (boot_params readable, no EFI signature) whose lockdown reads `none`.
    @Test func noSecureBootNoPolicy() async throws {
        let h = LoaderHarness()
        let sources = try Self.sysfs(h, lockdown: "[none] integrity confidentiality")
        try FileManager.default.removeItem(atPath: sources.root.appending("sys/firmware").string)
        Self.write(sources.bootParamsFile, [UInt8](repeating: 0, count: 4096))
        let gate = Self.gate(sources)
        #expect(gate.activeBecause() == nil)
        let kernel = h.dir.file("vmlinuz-unsigned", try SignedKernels.get().unsigned)
        let (outcome, _) = await Self.load(h, kernel, gate: gate)
        #expect(outcome?.gate == .notRequired)
        #expect(outcome?.record.lockdown == nil && h.planner.lastRequest?.lockdown == nil)
    }

    @Test func requireSignatureWithoutSecureBootRefusesUnsigned() async throws {
        let h = LoaderHarness()
        let sources = try Self.sysfs(h, lockdown: nil)
        Self.write(sources.bootParamsFile, [UInt8](repeating: 0, count: 0x1EC) + [2] + [UInt8](repeating: 0, count: 100))
        let gate = Self.gate(sources, SignaturePolicy(requireSignature: true))
        #expect(gate.activeBecause() == "--require-signature")
        let (_, error) = await Self.load(h, h.dir.file("vmlinuz-unsigned", try SignedKernels.get().unsigned), gate: gate)
        guard case .secureBootRefused(let r)? = error, case .signature(_, "unsigned") = r.reason else { Issue.record("\(String(describing: error))"); return }
        #expect(h.hv.hypercalls.isEmpty)
    }

    @Test func trustCertificateFileAnchorsTheDebianSigner() async throws {
        let h = LoaderHarness()
        let k = try SignedKernels.get()
        let signature = try #require(try AuthenticodeSignature.all(in: k.debian, pe: try PEImage.parse(k.debian)).first)
        let leaf = try #require(signature.certificates.first)
        let certFile = h.dir.file("debian-signer.der", try CertificateFile.der(leaf))
        let kernel = h.dir.file("vmlinuz-debian", k.debian)
        let (outcome, error) = await Self.load(h, kernel, gate: Self.gate(try Self.sysfs(h), SignaturePolicy(trustCertificates: [certFile])))
        guard case .verified(let v, _, _)? = outcome?.gate else { Issue.record("\(String(describing: error))"); return }
        #expect(v.anchorSource == "--trust-cert \(certFile)")
    }

    /// The restore after a refused reload runs the same pipeline: a kernel revoked since it
    /// was armed (a dbx update) is not armed again.
    @Test func restoreAfterARefusedReloadPassesTheGate() async throws {
        let h = LoaderHarness()
        let k = try SignedKernels.get()
        let kernel = h.dir.file("vmlinuz-resigned", k.resigned)
        let armed = await Self.load(h, kernel, gate: Self.gate(try Self.sysfs(h)))
        #expect(armed.1 == nil, "\(String(describing: armed.1))")
        // dbx now revokes the armed kernel; a reload of the same kernel is refused by Xen.
        h.gate = Self.gate(try Self.sysfs(h, dbx: [try SignedKernels.imageSHA256(k.resigned)]), SignaturePolicy(allowUnverified: true))
        // A kernel with another image hash (one byte changed), armed unverified by the opt-in.
        let other = h.dir.file("vmlinuz-tampered", k.tampered)
        h.hv.fail(.load, with: .resourceBusy)
        do throws(KexecError) {
            _ = try await h.loader.load(h.invocation(other, type: .crashEFI))
            Issue.record("loaded")
        } catch {
            guard case .reloadRefused(_, .failed(let reason, disarmed: true)) = error, case .secureBootRefused(let r) = reason,
                case .signature(_, "revoked") = r.reason
            else { Issue.record("\(error)"); return }
        }
        #expect(h.store.read(slot: .crashEFI).record == nil)
    }
}

/// A UKI is armed only if its own signature (over `.linux`, `.initrd`, `.cmdline`, …)
/// verifies, and, for KEXEC_TYPE_CRASH_EFI, `.linux`'s as well (Xen runs `.linux`).
@Suite struct SecureBootGateUKITests {
    static func load(_ h: LoaderHarness, _ name: String, _ bytes: [UInt8]) async throws -> (LoadOutcome?, KexecError?) {
        await SecureBootGateTests.load(h, h.dir.file(name, bytes), gate: SecureBootGateTests.gate(try SecureBootGateTests.sysfs(h)))
    }

    @Test func aSignedUKIAroundASignedKernelVerifiesBoth() async throws {
        let h = LoaderHarness()
        let uki = try SignedKernels.resign(makeUKI(linux: try SignedKernels.get().resigned))
        let (outcome, error) = try await Self.load(h, "uki-signed.efi", uki)
        guard case .verified(_, _, let coverage)? = outcome?.gate else { Issue.record("\(String(describing: error))"); return }
        #expect(coverage.verified == ["UKI", ".linux"])
    }

    /// The wave-2 behaviour, now refused: only `.linux` signed, the container not.
    @Test func anUnsignedUKIAroundASignedKernelIsRefused() async throws {
        let h = LoaderHarness()
        let (_, error) = try await Self.load(h, "uki-unsigned.efi", makeUKI(linux: try SignedKernels.get().resigned))
        guard case .secureBootRefused(let r)? = error, case .signature(let why, "unsigned") = r.reason else { Issue.record("\(String(describing: error))"); return }
        #expect(why.hasPrefix("the UKI's own signature"))
        #expect(h.hv.hypercalls.isEmpty)
    }

    /// A section changed after signing (here `.osrel`; `.cmdline` alike) breaks the UKI's signature.
    @Test func aUKIChangedAfterSigningIsRefusedAsTampered() async throws {
        let h = LoaderHarness()
        var uki = try SignedKernels.resign(makeUKI(linux: try SignedKernels.get().resigned))
        let at = try #require(uki.firstRange(of: Array("ID=debian".utf8)))
        uki[at.lowerBound + 3] = UInt8(ascii: "X")
        let (_, error) = try await Self.load(h, "uki-tampered.efi", uki)
        guard case .secureBootRefused(let r)? = error, case .signature(_, "tampered") = r.reason else { Issue.record("\(String(describing: error))"); return }
        #expect(h.hv.hypercalls.isEmpty)
    }

    /// A signed UKI whose `.linux` is not signed: Xen runs `.linux`, so it must verify too.
    @Test func aSignedUKIAroundAnUnsignedKernelIsRefused() async throws {
        let h = LoaderHarness()
        let uki = try SignedKernels.resign(makeUKI(linux: try SignedKernels.get().unsigned))
        let (_, error) = try await Self.load(h, "uki-outer-only.efi", uki)
        guard case .secureBootRefused(let r)? = error, case .signature(_, "unsigned") = r.reason else { Issue.record("\(String(describing: error))"); return }
    }

    @Test func imageXenRunsIsTheLinuxSection() throws {
        let inner = try SignedKernels.get().resigned
        #expect(SecureBootGate.imageXenRuns(makeUKI(linux: inner)) == inner)
        #expect(SecureBootGate.imageXenRuns(inner) == inner)
    }
}
