import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

/// Every branch of a crash reload that Xen refuses after the preflight passed.
@Suite struct SafeReloadTests {
    @Test func refusedReloadReArmsThePreviousPlan() async throws {
        let h = LoaderHarness()
        let first = try await h.loader.load(h.invocation(h.kernelA))
        let before = h.hv.events.count
        h.hv.fail(.load, with: .resourceBusy)
        await #expect(throws: KexecError.reloadRefused(cause: .busy(.load), restore: .restored(digest: first.record.digest))) {
            try await h.loader.load(h.invocation(h.kernelB))
        }
        #expect(Array(h.hv.eventNames[before...]) == ["allocate", "allocate"] + LoaderHarness.hostQueries
            + ["allocate", "load:1", "unload:1", "allocate", "allocate"] + LoaderHarness.hostQueries + ["allocate", "load:1", "status:1"])
        // The refused plan was B; the restore sent A again, byte for byte.
        #expect(h.hv.loads.map(\.segments) == [
            h.expectedSegments(kernel: h.kernelABytes), h.expectedSegments(kernel: h.kernelBBytes), h.expectedSegments(kernel: h.kernelABytes),
        ])
        #expect(h.hv.slots[1] == h.hv.loads[0])
        #expect(!h.hv.crashSlotDamaged)
        let record = try #require(h.store.read(slot: .crash).record)
        #expect(record.digest == first.record.digest && record.state == .armed)
        #expect(try h.slots.status(.crash).isArmed)
        #expect(h.messages(.warning).contains { $0.contains("re-armed the previous crash image") })
    }

    @Test func forcedLateRefusalViaArchIsRestored() async throws {
        let h = LoaderHarness()
        let first = try await h.loader.load(h.invocation(h.kernelA))
        h.hv.fail(.load, with: .invalidArgument)  // what Xen answers to arch 183, after copying
        await #expect(throws: KexecError.reloadRefused(cause: .loadRejected(type: 1, errno: .invalidArgument), restore: .restored(digest: first.record.digest))) {
            try await h.loader.load(h.invocation(h.kernelB, skipPreflight: true, arch: 183))
        }
        #expect(h.hv.loads.map(\.arch) == [62, 183, 62])  // the re-arm sends the plan's own arch
        #expect(h.messages(.warning).contains { $0.contains("sending arch 183 instead of 62 (test fault injection)") })
    }

    @Test func restoreReplansWithTheRecordedCommandLine() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA, append: "nr_cpus=1"))
        h.hv.fail(.load, with: .noMemory)
        let armed = try #require(h.store.read(slot: .crash).record)
        await #expect(throws: KexecError.reloadRefused(cause: .outOfMemory(region: h.hv.region), restore: .restored(digest: armed.digest))) {
            try await h.loader.load(h.invocation(h.kernelB, append: "other"))
        }
        #expect(h.store.read(slot: .crash).record?.commandLine == "console=ttyS0 nr_cpus=1")
    }

    @Test func reArmRefusedToo_nothingIsArmed() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA))
        h.hv.fail(.load, with: .resourceBusy, times: 2)
        await #expect(throws: KexecError.reloadRefused(cause: .busy(.load), restore: .failed(reason: .busy(.load), disarmed: true))) {
            try await h.loader.load(h.invocation(h.kernelB))
        }
        #expect(h.hv.slots[1] == nil)
        #expect(h.store.read(slot: .crash) == .none)
        #expect(try h.slots.status(.crash) == .notLoaded(xenBit: h.hv.parity[1]!))
        #expect(h.messages(.critical).contains { $0.contains("NO CRASH KERNEL IS ARMED") })
    }

    @Test func changedFilesAreNotReArmed() async throws {
        let h = LoaderHarness()
        let first = try await h.loader.load(h.invocation(h.kernelA))
        let tampered = pattern(h.kernelABytes.count, seed: 99)
        h.dir.file("vmlinuz-a", tampered)
        h.hv.fail(.load, with: .resourceBusy)
        await #expect(throws: KexecError.reloadRefused(
            cause: .busy(.load),
            restore: .failed(reason: .armedImageChanged(
                kernel: h.kernelA, initrd: h.initrd, recorded: first.record.digest, now: h.digest(kernel: tampered)), disarmed: true))) {
            try await h.loader.load(h.invocation(h.kernelB))
        }
        #expect(h.hv.loads.count == 2)  // A, refused B; no re-arm sent
        #expect(h.hv.slots[1] == nil)
        #expect(h.store.read(slot: .crash) == .none)
    }

    @Test func changedInitrdIsNotReArmed() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA))
        h.dir.file("initrd.img", pattern(h.initrdBytes.count, seed: 42))
        h.hv.fail(.load, with: .resourceBusy)
        do {
            try await h.loader.load(h.invocation(h.kernelB))
            Issue.record("expected a refusal")
        } catch {
            guard case .reloadRefused(_, .failed(.armedImageChanged(_, let initrd, let recorded, let now), true)) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(initrd == h.initrd)
            #expect(recorded != now)
        }
    }

    @Test func reArmThatThePreflightRefusesIsNotSent() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA))
        h.hv.fail(.load, with: .resourceBusy)
        // Plan B passes Xen's rules (call 2), the re-arm's plan (call 3) does not.
        let shrank = violation(.segmentOutsideCrashRegion, "region shrank")
        h.planner.refusal = shrank
        h.planner.refusingFromCall = 3
        await #expect(throws: KexecError.reloadRefused(cause: .busy(.load), restore: .failed(reason: .plan(.refusedByXen(shrank)), disarmed: true))) {
            try await h.loader.load(h.invocation(h.kernelB))
        }
        #expect(h.hv.loads.count == 2)
    }

    @Test func refusedFirstLoadDisarmsAndSaysNothingIsArmed() async throws {
        let h = LoaderHarness()
        h.hv.fail(.load, with: .resourceBusy)
        await #expect(throws: KexecError.reloadRefused(cause: .busy(.load), restore: .nothingToRestore(disarmed: true))) {
            try await h.loader.load(h.invocation(h.kernelA))
        }
        #expect(h.hv.eventNames.suffix(2) == ["load:1", "unload:1"])
        #expect(h.store.read(slot: .crash) == .none)
    }

    @Test func efiTypeUnknownToXenLeavesTheArmedImageAlone() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA))
        h.hv.fail(.load, with: .invalidArgument)
        h.hv.fail(.status, with: .invalidArgument)
        await #expect(throws: KexecError.efiLoadTypeUnsupported) {
            try await h.loader.load(h.invocation(h.kernelB, type: .crashEFI))
        }
        // Probed with kexec_status(3), then nothing: no unload, no re-arm.
        #expect(h.hv.eventNames.suffix(2) == ["load:3", "status:3"])
        #expect(h.store.read(slot: .crash) != .none)
    }

    @Test func efiRefusalByAXenThatKnowsTheTypeIsRestored() async throws {
        let h = LoaderHarness()
        let first = try await h.loader.load(h.invocation(h.kernelA))
        h.hv.fail(.load, with: .invalidArgument)
        await #expect(throws: KexecError.reloadRefused(cause: .loadRejected(type: 3, errno: .invalidArgument), restore: .restored(digest: first.record.digest))) {
            try await h.loader.load(h.invocation(h.kernelB, type: .crashEFI))
        }
    }

    @Test func addressRefusalCarriesTheRegion() async throws {
        let h = LoaderHarness()
        h.hv.fail(.load, with: .addressNotAvailable)
        await #expect(throws: KexecError.reloadRefused(cause: .segmentOutsideCrashRegion(region: h.hv.region), restore: .nothingToRestore(disarmed: true))) {
            try await h.loader.load(h.invocation(h.kernelA))
        }
    }

    @Test func noRestoreLeavesTheSlotAndMarksTheRecord() async throws {
        let h = LoaderHarness()
        let first = try await h.loader.load(h.invocation(h.kernelA))
        h.hv.fail(.load, with: .resourceBusy)
        await #expect(throws: KexecError.reloadRefused(cause: .busy(.load), restore: .skipped)) {
            try await h.loader.load(h.invocation(h.kernelB, restore: false))
        }
        #expect(!h.hv.eventNames.contains("unload:1"))
        #expect(h.hv.crashSlotDamaged)
        var damaged = first.record
        damaged.state = .possiblyDamaged
        #expect(h.store.read(slot: .crash) == .found(damaged))
        #expect(try h.slots.status(.crash) == .possiblyDamaged(damaged))
        #expect(h.messages(.critical).contains { $0.hasPrefix("the restore was skipped (test fault injection)") })
    }

    @Test func unloadFailingDuringRecoveryIsReported() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA))
        h.hv.fail(.load, with: .noMemory)
        h.hv.fail(.unload, with: .resourceBusy)
        await #expect(throws: KexecError.reloadRefused(cause: .outOfMemory(region: h.hv.region), restore: .failed(reason: .busy(.unload), disarmed: false))) {
            try await h.loader.load(h.invocation(h.kernelB))
        }
        #expect(h.store.read(slot: .crash).record?.state == .possiblyDamaged)
    }

    @Test func unloadFailingWithoutRecordIsReported() async {
        let h = LoaderHarness()
        h.hv.fail(.load, with: .noMemory)
        h.hv.fail(.unload, with: .resourceBusy)
        await #expect(throws: KexecError.reloadRefused(cause: .outOfMemory(region: h.hv.region), restore: .nothingToRestore(disarmed: false))) {
            try await h.loader.load(h.invocation(h.kernelA))
        }
    }

    @Test func refusedDefaultLoadLeavesTheOldImageAlone() async throws {
        let h = LoaderHarness()
        let first = try await h.loader.load(h.invocation(h.kernelA, type: .default))
        h.hv.fail(.load, with: .invalidArgument)
        await #expect(throws: KexecError.loadRejected(type: 0, errno: .invalidArgument)) {
            try await h.loader.load(h.invocation(h.kernelB, type: .default))
        }
        #expect(!h.hv.eventNames.contains { $0.hasPrefix("unload") })
        #expect(h.store.read(slot: .default) == .found(first.record))
        #expect(h.hv.slots[0] == h.hv.loads[0])
    }
}
