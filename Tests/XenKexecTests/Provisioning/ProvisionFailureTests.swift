import KexecPlan
import Testing
@testable import XenKexec

/// A failed re-provision (`load(_:keepIfArmed: true)`, what `provision` runs) never disarms
/// nor changes the image armed before: it fails before the first load or unload.
@Suite struct ProvisionFailureTests {
    /// Arms kernel A, runs `body`, and checks that Xen's crash slot, its status bit and the
    /// record are what they were, and that no load or unload reached Xen after arming.
    func keepsTheArmedImage(_ body: (LoaderHarness) async throws(KexecError) -> Void) async throws -> KexecError? {
        let h = LoaderHarness()
        let armed = try await h.loader.load(h.invocation(h.kernelA), keepIfArmed: true)
        let slot = h.hv.slots[1]
        let eventsBefore = h.hv.eventNames.count
        var caught: KexecError?
        do throws(KexecError) { try await body(h) } catch { caught = error }
        let after = h.hv.eventNames.dropFirst(eventsBefore)
        #expect(!after.contains { $0.hasPrefix("load") || $0.hasPrefix("unload") }, "\(Array(after))")
        #expect(h.hv.slots[1] == slot)
        #expect(try h.slots.status(.crash).isArmed)
        #expect(h.store.read(slot: .crash).record == armed.record)
        return caught
    }

    @Test func aMissingKernelFileKeepsTheArmedImage() async throws {
        let error = try await keepsTheArmedImage { h throws(KexecError) in
            _ = try await h.loader.load(h.invocation(h.dir.path.appending("vmlinuz-removed")), keepIfArmed: true)
        }
        guard case .fileUnavailable(let path, .noSuchFileOrDirectory) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(path.lastComponent?.string == "vmlinuz-removed")
    }

    @Test func aMissingInitrdKeepsTheArmedImage() async throws {
        let error = try await keepsTheArmedImage { h throws(KexecError) in
            var inv = h.invocation(h.kernelB)
            inv.initrd = h.dir.path.appending("initrd-removed")
            _ = try await h.loader.load(inv, keepIfArmed: true)
        }
        guard case .fileUnavailable(_, .noSuchFileOrDirectory) = error else { Issue.record("\(String(describing: error))"); return }
    }

    @Test func noCrashRegionKeepsTheArmedImage() async throws {
        let error = try await keepsTheArmedImage { h throws(KexecError) in
            h.hv.region = nil
            _ = try await h.loader.load(h.invocation(h.kernelB), keepIfArmed: true)
        }
        #expect(error == .noCrashRegion)
    }
}
