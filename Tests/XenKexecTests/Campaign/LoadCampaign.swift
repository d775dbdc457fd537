import SystemPackage
@testable import XenKexec

/// `load` of a first crash kernel, `load` over an armed one (a reload), and the restore
/// after Xen refuses a reload.
extension CampaignOperation {
    static let load = CampaignOperation(
        name: "load", summary: "`load` of kernel A with nothing armed",
        before: "empty", baseline: ("A", 0), allowed: ["empty", "A"], allowedAfterKill: ["empty", "A"],
        files: newImageFiles("A"),
        setUp: { _ in },
        act: { w throws(KexecError) in try await w.load("A") },
        next: { w throws(KexecError) in try await w.load("A") }, settled: "A")

    static let reload = CampaignOperation(
        name: "reload", summary: "`load` of kernel B over the armed kernel A",
        before: "A", baseline: ("B", 0), allowed: ["A", "B"], allowedAfterKill: ["A", "B"],
        files: newImageFiles("B"),
        setUp: { w in try await w.load("A") },
        act: { w throws(KexecError) in try await w.load("B") },
        next: { w throws(KexecError) in try await w.load("B") }, settled: "B")

    /// Xen refuses the reload after copying B over A (EBUSY, its last check); the restore
    /// unloads the slot and re-arms A from its files. A fault in the restore is a second
    /// fault: the slot may end empty, and the tool must say so.
    static let reloadRestore = CampaignOperation(
        name: "restore after a refused reload",
        summary: "`load` of B over A, refused by Xen after copying (EBUSY); a second fault in the restore that follows",
        before: "A", baseline: ("A", 75), allowed: ["A", "empty", "damaged"], allowedAfterKill: ["A", "empty", "damaged"],
        sweepFrom: { trace in (trace.firstIndex(of: "kexec_load") ?? 0) + 1 },
        files: restoredImageFiles,
        setUp: { w in try await w.load("A") },
        act: { w throws(KexecError) in
            w.h.hv.fail(.load, with: .resourceBusy)
            try await w.load("B")
        },
        next: { w throws(KexecError) in try await w.load("B") }, settled: "B")
}
