import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

/// `systemctl restart`: the unit's unload, then a `provision` that fails. The image the
/// unload removed is armed again (the same plan digest), and only when the slot is empty.
@Suite struct UnloadedImageRestoreTests {
    /// Arms kernel A and unloads it, as the unit's `ExecStop=` does.
    func armedThenUnloaded(_ h: LoaderHarness) async throws -> LoadOutcome {
        let first = try await h.loader.load(h.invocation(h.kernelA), keepIfArmed: true)
        try h.slots.unload(.crash, forRestart: true)
        #expect(h.store.read(slot: .crash) == .none)
        #expect(h.store.readUnloaded(slot: .crash) == .found(first.record))
        return first
    }

    @Test func aFailedProvisionAfterUnloadRearmsTheSameImage() async throws {
        let h = LoaderHarness()
        let first = try await armedThenUnloaded(h)
        await #expect(throws: KexecError.fileUnavailable(h.dir.path.appending("vmlinuz-removed"), .noSuchFileOrDirectory)) {
            try await h.loader.load(h.invocation(h.dir.path.appending("vmlinuz-removed")), keepIfArmed: true)
        }
        #expect(h.hv.slots[1] == nil)
        h.now += 60
        guard case .rearmed(let record) = await h.loader.rearmUnloaded() else { Issue.record("not re-armed: \(h.logs.lines)"); return }
        #expect(record.digest == first.record.digest)
        #expect(record.loadedAt == h.now)
        #expect(h.hv.slots[1]?.segments == h.expectedSegments(kernel: h.kernelABytes))
        #expect(h.hv.loads.count == 2)
        #expect(try h.slots.status(.crash).isArmed)
        #expect(h.store.read(slot: .crash) == .found(record))
        #expect(h.store.readUnloaded(slot: .crash) == .none)
    }

    @Test func aChangedKernelIsNotRearmed() async throws {
        let h = LoaderHarness()
        let first = try await armedThenUnloaded(h)
        let tampered = pattern(h.kernelABytes.count, seed: 99)
        h.dir.file("vmlinuz-a", tampered)
        #expect(await h.loader.rearmUnloaded() == .failed(.armedImageChanged(
            kernel: h.kernelA, initrd: h.initrd, recorded: first.record.digest, now: h.digest(kernel: tampered))))
        #expect(h.hv.loads.count == 1)
        #expect(h.hv.slots[1] == nil)
        #expect(h.store.read(slot: .crash) == .none)
    }

    @Test func aNewerLoadReplacesTheUnloadedRecord() async throws {
        let h = LoaderHarness()
        _ = try await armedThenUnloaded(h)
        let second = try await h.loader.load(h.invocation(h.kernelB), keepIfArmed: true)
        #expect(h.store.readUnloaded(slot: .crash) == .none)
        #expect(await h.loader.rearmUnloaded() == .notNeeded("a crash image is recorded as armed"))
        #expect(h.hv.slots[1]?.segments == h.expectedSegments(kernel: h.kernelBBytes))
        #expect(h.store.read(slot: .crash) == .found(second.record))
    }

    @Test func anImageLoadedByAnotherToolIsLeftAlone() async throws {
        let h = LoaderHarness()
        _ = try await armedThenUnloaded(h)
        h.hv.simulateForeignLoad()
        #expect(await h.loader.rearmUnloaded() == .notNeeded("Xen's crash slot holds an image this tool did not record"))
        #expect(h.hv.loads.count == 1)
    }

    @Test func nothingUnloadedMeansNothingToDo() async throws {
        let h = LoaderHarness()
        #expect(await h.loader.rearmUnloaded() == .notNeeded("no crash image was unloaded in this boot"))
        #expect(h.hv.loads.isEmpty)
    }

    @Test func anUnloadedRecordOfAnotherBootIsIgnored() async throws {
        let h = LoaderHarness()
        _ = try await armedThenUnloaded(h)
        let nextBoot = ArmedImageStore(directory: h.store.directory, bootID: "boot-2")
        let loader = CrashKernelLoader(hypervisor: h.hv, planner: h.planner, store: nextBoot,
                                       trust: FileTrustPolicy(allowedOwners: [SystemCalls.effectiveUserID]), firmware: h.firmware, gate: h.gate, logger: h.logs.logger)
        #expect(await loader.rearmUnloaded() == .notNeeded("no crash image was unloaded in this boot"))
        #expect(h.hv.loads.count == 1)
    }
}
