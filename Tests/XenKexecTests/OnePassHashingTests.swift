import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

/// Each payload byte goes through SHA-256 once during a load: the bytes fed to SHA-256 are
/// counted (`SHA256Meter`) while the real planner loads a kernel and a 1 MiB initrd through
/// the recording fake. The payload is what Xen receives: the sum of every segment's
/// `buf_size`. Counts, never timings.
@Suite struct OnePassHashingTests {
    func load(_ type: LoadType) throws -> (meter: SHA256Meter, payload: Int, plan: LoadPlan) {
        let h = LoaderHarness()
        let kernel = h.dir.file("bzImage", PlannerIntegrationTests.bzImage())
        let initrd = h.dir.file("initrd-1m", pattern(1 << 20, seed: 12))
        let loader = CrashKernelLoader(
            hypervisor: h.hv, store: h.store,
            trust: FileTrustPolicy(allowedOwners: [SystemCalls.effectiveUserID]), firmware: h.firmware, logger: h.logs.logger)
        let meter = SHA256Meter()
        let outcome = try SHA256Meter.$current.withValue(meter) {
            try loader.load(LoadInvocation(
                kernel: kernel, initrd: initrd, request: PlanRequest(type: type, commandLine: CommandLineRequest(replacement: "console=ttyS0"))))
        }
        let sent = try #require(h.hv.loads.first)
        let payload = sent.segments.reduce(0) { $0 + Int($1.bufSize) }
        #expect(payload > 1 << 20)
        return (meter, payload, outcome.plan)
    }

    /// The plan's hashing (Xen's digest, the purgatory's digest) is one pass: exactly 1.0×.
    @Test(arguments: [LoadType.crash, .crashEFI, .default])
    func thePlanHashesEachPayloadByteOnce(_ type: LoadType) throws {
        let (meter, payload, plan) = try load(type)
        #expect(meter.bytes(.plan) == payload)
        #expect(plan.segments.allSatisfy { $0.sha256 == nil })
    }

    /// The whole load, with the armed-image record's whole-file digests, ≤ 1.0×. Not yet:
    /// `LoadedFile` still hashes each file for the record (kernel and initrd once more),
    /// so the load is about 2.0×; the known issue below records the measured ratio.
    @Test(arguments: [LoadType.crash, .crashEFI])
    func theWholeLoadHashesEachPayloadByteOnce(_ type: LoadType) throws {
        let (meter, payload, _) = try load(type)
        #expect(meter.bytes(.file) > 0)
        withKnownIssue("the record's whole-file digests are a second pass over the files") {
            #expect(meter.total <= payload, "fed \(meter.total) bytes to SHA-256 for a payload of \(payload) (\(Double(meter.total) / Double(payload))×)")
        }
    }
}
