import KexecImage
import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

@Suite struct CrashKernelLoaderTests {
    // MARK: Success

    @Test func firstLoadSendsExactlyThePlanAndRecordsIt() async throws {
        let h = LoaderHarness()
        let outcome = try await h.loader.load(h.invocation(h.kernelA))
        // The pipeline's order: the files read into payload memory, the host queried, the
        // boot_params page allocated, the load, the status bit.
        #expect(h.hv.eventNames == ["allocate", "allocate"] + LoaderHarness.hostQueries + ["allocate", "load:1", "status:1"])
        #expect(h.hv.events.contains(.allocate(bytes: h.kernelABytes.count)))
        #expect(h.hv.events.contains(.allocate(bytes: h.initrdBytes.count)))
        #expect(h.hv.loads == [RecordedLoad(type: 1, arch: 62, entry: 0x4000_3000, segments: h.expectedSegments(kernel: h.kernelABytes))])
        let digest = h.digest(kernel: h.kernelABytes)
        #expect(outcome.record == ArmedImageRecord(
            type: .crash, digest: digest,
            kernel: .init(path: h.kernelA.string),
            initrd: .init(path: h.initrd.string),
            commandLineRequest: CommandLineRequest(replacement: "console=ttyS0"), commandLine: "console=ttyS0",
            segmentCount: 4, loadedAt: h.now, xenStatusBit: true, bootID: "boot-1"))
        #expect(h.store.read(slot: .crash) == .found(outcome.record))
        #expect(outcome.replaced == nil)
        #expect(h.messages(.notice).contains("loaded crash image: 4 segments, digest \(digest)"))
        #expect(try h.slots.status(.crash) == .armed(outcome.record))
    }

    @Test func skippedPreflightJudgesExactlyWhatIsSent() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA, skipPreflight: true, arch: 183))
        #expect(h.planner.verdicts.count == 1)
        let judged = h.planner.verdicts[0]
        let sent = h.hv.loads[0]
        #expect(judged.type == sent.type && judged.arch == 183 && sent.arch == 183 && judged.entryMaddr == sent.entry)
        #expect(judged.segments.map { [$0.dest, $0.destSize, $0.bufSize] } == sent.segments.map { [$0.dest, $0.destSize, $0.bufSize] })
        #expect(judged.segments.map(\.hasBuffer) == sent.segments.map { $0.sha256 != nil })
    }

    @Test func enforcedPreflightIsThePlannersOwn() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA))
        #expect(h.planner.calls == 1 && h.planner.verdicts.isEmpty)
    }

    @Test func reloadReplacesAndStatusStaysTrustworthy() async throws {
        let h = LoaderHarness()
        let first = try await h.loader.load(h.invocation(h.kernelA))
        let second = try await h.loader.load(h.invocation(h.kernelB))
        #expect(second.replaced == first.record)
        #expect(second.record.xenStatusBit == false)  // Xen's bit flipped back on the reload
        #expect(try h.slots.status(.crash) == .armed(second.record))
        #expect(h.hv.eventNames.filter { $0.hasPrefix("unload") }.isEmpty)  // no unload-then-load window
    }

    @Test func efiLoadUsesTypeThreeAndTheCrashSlot() async throws {
        let h = LoaderHarness()
        let outcome = try await h.loader.load(h.invocation(h.kernelA, type: .crashEFI))
        #expect(h.hv.loads.map(\.type) == [3])
        #expect(h.hv.eventNames.last == "status:1")
        #expect(h.store.read(slot: .crash).record == outcome.record)
        #expect(outcome.record.type == .crashEFI)
    }

    @Test func dryRunLoadsNothing() async throws {
        let h = LoaderHarness()
        let outcome = try await h.loader.dryRun(h.invocation(h.kernelA))
        #expect(outcome.refusal == nil)
        #expect(outcome.host.crashRegion == h.hv.region)
        #expect(hexDigits(outcome.plan.digest) == h.digest(kernel: h.kernelABytes))
        #expect(!h.hv.eventNames.contains { $0.hasPrefix("load") || $0.hasPrefix("status") })
        #expect(!h.hv.eventNames.contains("allocate"))   // the files are read on demand, not into payload memory
        #expect(h.store.read(slot: .crash) == .none)
        h.planner.refusal = violation(.segmentsOverlap, "1 and 2")
        await #expect(throws: KexecError.plan(.refusedByXen(h.planner.refusal!))) { try await h.loader.dryRun(h.invocation(h.kernelA)) }
        #expect(try await h.loader.dryRun(h.invocation(h.kernelA, skipPreflight: true)).refusal == h.planner.refusal)
    }

    // MARK: Refusals before anything is sent

    @Test func preflightRefusalSendsNothing() async throws {
        let h = LoaderHarness()
        let first = try await h.loader.load(h.invocation(h.kernelA))
        h.planner.refusal = violation(.segmentOutsideCrashRegion, "segment 2")
        await #expect(throws: KexecError.plan(.refusedByXen(h.planner.refusal!))) { try await h.loader.load(h.invocation(h.kernelB)) }
        #expect(h.hv.loads.count == 1)
        #expect(h.store.read(slot: .crash) == .found(first.record))
    }

    @Test func skippingThePreflightSendsTheRefusedPlan() async throws {
        let h = LoaderHarness()
        h.planner.refusal = violation(.segmentsOverlap, "1 and 2")
        _ = try await h.loader.load(h.invocation(h.kernelA, skipPreflight: true))
        #expect(h.hv.loads.count == 1)
        #expect(h.messages(.warning).contains { $0.contains("sending it anyway (test fault injection: preflight skipped)") })
    }

    @Test func noCrashRegionStopsBeforePlanning() async {
        let h = LoaderHarness()
        h.hv.region = nil
        await #expect(throws: KexecError.noCrashRegion) { try await h.loader.load(h.invocation(h.kernelA)) }
        #expect(h.hv.eventNames == ["allocate", "allocate"] + LoaderHarness.hostQueries)
        #expect(h.planner.calls == 0)
    }

    @Test func defaultLoadNeedsNoCrashRegion() async throws {
        let h = LoaderHarness()
        h.hv.region = nil
        h.planner.fail = .plan(.hostMemoryMapMissing)
        await #expect(throws: KexecError.plan(.hostMemoryMapMissing)) { try await h.loader.load(h.invocation(h.kernelA, type: .default)) }
    }

    @Test func allocationFailureSendsNothing() async {
        let h = LoaderHarness()
        h.hv.fail(.allocate, with: .noMemory)
        await #expect(throws: KexecError.payloadAllocationFailed(bytes: h.kernelABytes.count, errno: .noMemory)) { try await h.loader.load(h.invocation(h.kernelA)) }
        #expect(h.hv.loads.isEmpty)
    }

    @Test func hostQueryFailureIsClassified() async {
        let h = LoaderHarness()
        h.hv.fail(.getRange, with: .notPermitted)
        await #expect(throws: KexecError.notPermitted(.getRange)) { try await h.loader.load(h.invocation(h.kernelA)) }
    }

    @Test func plannerFailureSendsNothing() async {
        let h = LoaderHarness()
        h.planner.fail = .plan(.crashRegionTooSmall(region: AddressRange(start: 0x4000_0000, size: 0x100_0000), needed: 0x200_0000, detail: "scripted"))
        await #expect(throws: KexecError.plan(.crashRegionTooSmall(region: AddressRange(start: 0x4000_0000, size: 0x100_0000), needed: 0x200_0000, detail: "scripted"))) { try await h.loader.load(h.invocation(h.kernelA)) }
        #expect(h.hv.loads.isEmpty)
    }

    @Test func untrustedKernelSendsNothing() async {
        let h = LoaderHarness()
        let bad = h.dir.file("world-writable", [1, 2, 3], mode: FilePermissions(rawValue: 0o666))
        await #expect(throws: KexecError.untrustedFile(bad, .writableByOthers(mode: 0o666))) { try await h.loader.load(h.invocation(bad)) }
        #expect(h.hv.loads.isEmpty && h.planner.calls == 0)
    }
}
