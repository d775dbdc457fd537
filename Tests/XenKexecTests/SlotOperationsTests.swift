import KexecPlan
import Testing
@testable import XenKexec

@Suite struct SlotOperationsTests {
    /// The unit's stop (`unload --for-restart`): the record is kept as the unloaded one.
    @Test func unloadForRestartKeepsTheRecordAsUnloaded() async throws {
        let h = LoaderHarness()
        let first = try await h.loader.load(h.invocation(h.kernelA))
        try h.slots.unload(.crashEFI, forRestart: true)  // type 3 lives in the crash slot
        #expect(h.hv.eventNames.last == "unload:1")
        #expect(h.store.read(slot: .crash) == .none)
        #expect(h.store.readUnloaded(slot: .crash) == .found(first.record))
        #expect(try h.slots.status(.crash) == .notLoaded(xenBit: false))
        #expect(h.messages(.notice).contains("unloaded the crash slot"))
    }

    /// A deliberate `unload` forgets the image: a later failed provision does not bring it back.
    @Test func aManualUnloadIsNeverResurrected() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA), keepIfArmed: true)
        try h.slots.unload(.crash, forRestart: true)   // an earlier restart's stop
        _ = try await h.loader.load(h.invocation(h.kernelA), keepIfArmed: true)
        try h.slots.unload(.crash)                     // the admin's unload
        #expect(h.store.read(slot: .crash) == .none)
        #expect(h.store.readUnloaded(slot: .crash) == .none)
        #expect(await h.loader.rearmUnloaded() == .notNeeded("no crash image was unloaded in this boot"))
        #expect(h.hv.slots[1] == nil)
    }

    @Test func unloadRefusedKeepsTheRecord() async throws {
        let h = LoaderHarness()
        let first = try await h.loader.load(h.invocation(h.kernelA))
        h.hv.fail(.unload, with: .resourceBusy)
        #expect(throws: KexecError.busy(.unload)) { try h.slots.unload(.crash, forRestart: true) }
        #expect(h.store.read(slot: .crash) == .found(first.record))
    }

    @Test func statusDisagreesAfterAnotherToolTouchedTheSlot() async throws {
        let h = LoaderHarness()
        let first = try await h.loader.load(h.invocation(h.kernelA))
        h.hv.simulateForeignLoad()
        #expect(try h.slots.status(.crash) == .disagree(first.record, xenBit: false))
    }

    @Test func statusOfAnUntouchedSlotIsNotLoaded() async throws {
        let h = LoaderHarness()
        #expect(try h.slots.status(.default) == .notLoaded(xenBit: false))
        #expect(h.hv.eventNames == ["status:0"])
    }

    @Test func statusFailureIsClassified() async {
        let h = LoaderHarness()
        h.hv.fail(.status, with: .invalidArgument)
        #expect(throws: KexecError.hypercallFailed(HypercallFailure(.status, type: 1, errno: .invalidArgument))) { try h.slots.status(.crash) }
    }

    @Test func execOfAnEmptySlotIsNothingLoaded() async {
        let h = LoaderHarness()
        #expect(throws: KexecError.nothingLoaded(type: 0)) { try h.slots.exec(.default) }
        #expect(h.hv.eventNames == ["exec:0"])
    }

    @Test func execThatReturnsIsAnError() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA))
        #expect(throws: KexecError.execReturned(type: 1)) { try h.slots.exec(.crash) }
        h.hv.fail(.exec, with: .invalidArgument)
        #expect(throws: KexecError.hypercallFailed(HypercallFailure(.exec, type: 1, errno: .invalidArgument))) { try h.slots.exec(.crash) }
    }
}
