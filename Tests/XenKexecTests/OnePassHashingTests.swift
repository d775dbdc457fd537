import KexecImage
import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

/// Each payload byte goes through SHA-256 once during a load: the bytes fed to SHA-256 are
/// counted (`SHA256Meter`) while the real planner loads a kernel and a 1 MiB initrd through
/// the recording fake. The payload is what Xen receives: the sum of every segment's
/// `buf_size`. The purgatory's digest, Xen's plan digest, the armed-image record, the
/// "already armed" check and a dry run all come from the plan's one pass. Counts, never
/// timings. Under the Secure Boot policy the gate verifies the very bytes read for loading:
/// its Authenticode hash (swift-crypto, not metered) is the only other hash of the kernel.
@Suite struct OnePassHashingTests {
    struct Files {
        let h = LoaderHarness()
        let kernel: FilePath
        let initrd: FilePath
        let kernelBytes = PlannerIntegrationTests.bzImage()

        init() {
            kernel = h.dir.file("bzImage", kernelBytes)
            initrd = h.dir.file("initrd-1m", pattern(1 << 20, seed: 12))
        }

        var loader: CrashKernelLoader {
            CrashKernelLoader(
                hypervisor: h.hv, store: h.store,
                trust: FileTrustPolicy(allowedOwners: [SystemCalls.effectiveUserID]), firmware: h.firmware, gate: h.gate,
                logger: h.logs.logger)
        }

        func invocation(_ type: LoadType) -> LoadInvocation {
            LoadInvocation(
                kernel: kernel, initrd: initrd,
                request: PlanRequest(type: type, commandLine: CommandLineRequest(replacement: "console=ttyS0")))
        }
    }

    /// Bytes fed to SHA-256 while `body` runs.
    func metered<R>(_ body: () async throws -> R) async throws -> (SHA256Meter, R) {
        let meter = SHA256Meter()
        let r = try await SHA256Meter.$current.withValue(meter) { try await body() }
        return (meter, r)
    }

    /// The payload Xen receives for `plan`: every segment's `buf_size`.
    func payload(_ plan: KexecLoadRequest) -> Int { plan.segments.reduce(0) { $0 + Int($1.bufSize) } }

    func ratio(_ meter: SHA256Meter, _ payload: Int) -> String {
        "fed \(meter.total) bytes to SHA-256 for a payload of \(payload) (\(Double(meter.total) / Double(payload))×)"
    }

    /// `load --type crash`, `load --type default`, `load --efi`: the whole load, record
    /// included, feeds exactly the payload to SHA-256 (1.0×), and the payload is what the
    /// fake Xen received.
    @Test(arguments: [LoadType.crash, .default, .crashEFI])
    func theWholeLoadWithoutSecureBootHashesEachPayloadByteOnce(_ type: LoadType) async throws {
        let f = Files()
        let (meter, outcome) = try await metered { try await f.loader.load(f.invocation(type)) }
        let sent = try #require(f.h.hv.loads.first)
        let bytes = payload(outcome.plan)
        #expect(sent.segments.reduce(0) { $0 + Int($1.bufSize) } == bytes)
        #expect(bytes > 1 << 20)
        #expect(meter.bytes(.plan) == bytes)
        #expect(meter.bytes(.file) == 0)
        #expect(meter.total <= bytes, "\(ratio(meter, bytes))")
        #expect(outcome.plan.segments.allSatisfy { $0.sha256 == nil })
        #expect(outcome.record.digest == hexDigits(outcome.plan.digest))
    }

    /// `load --dry-run`: the plan from the live host, nothing sent, 1.0×.
    @Test(arguments: [LoadType.crash, .default, .crashEFI])
    func theDryRunHashesEachPayloadByteOnce(_ type: LoadType) async throws {
        let f = Files()
        let (meter, outcome) = try await metered { try await f.loader.dryRun(f.invocation(type)) }
        let bytes = payload(outcome.plan)
        #expect(f.h.hv.loads.isEmpty)
        #expect(meter.total == bytes, "\(ratio(meter, bytes))")
    }

    /// `provision` when the same image is armed: the "already armed" check compares the
    /// re-made plan's digest with the record's, from the same one pass; nothing is sent.
    @Test(arguments: [LoadType.crash, .crashEFI])
    func theAlreadyArmedCheckHashesEachPayloadByteOnce(_ type: LoadType) async throws {
        let f = Files()
        _ = try await f.loader.load(f.invocation(type), keepIfArmed: true)
        let (meter, outcome) = try await metered { try await f.loader.load(f.invocation(type), keepIfArmed: true) }
        #expect(outcome.unchanged)
        #expect(f.h.hv.loads.count == 1)
        let bytes = payload(outcome.plan)
        #expect(meter.total == bytes, "\(ratio(meter, bytes))")
    }

    /// Under the Secure Boot policy there is no pin and no second read: the gate verifies the
    /// payload the loader read, and the only metered hashing is the plan's one pass.
    @Test func theSecureBootGateAddsNoSecondPass() async throws {
        let f = Files()
        let k = try SignedKernels.get()
        let kernel = f.h.dir.file("vmlinuz-resigned", k.resigned)
        f.h.gate = SecureBootGate(sources: try SecureBootGateTests.sysfs(f.h), policy: SignaturePolicy())
        let invocation = LoadInvocation(
            kernel: kernel, initrd: f.initrd, request: PlanRequest(type: .crashEFI, commandLine: CommandLineRequest(replacement: "console=ttyS0")))
        let (meter, outcome) = try await metered { try await f.loader.load(invocation) }
        guard case .verified = outcome.gate else { Issue.record("\(outcome.gate)"); return }
        #expect(meter.bytes(.plan) == payload(outcome.plan))
        #expect(meter.bytes(.file) == 0)
    }
}
