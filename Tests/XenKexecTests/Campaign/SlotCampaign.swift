import SystemPackage
@testable import XenKexec

/// The library's re-arm of an unloaded image, `unload`, `unload --for-restart` and `exec`.
extension CampaignOperation {
    static let rearmUnloaded = CampaignOperation(
        name: "restore of an unloaded image", summary: "`CrashKernelLoader.rearmUnloaded()` after `unload --for-restart` of A",
        before: "empty", baseline: ("A", 0), allowed: ["A", "empty"], allowedAfterKill: ["A", "empty"], successMayKeep: true,
        files: restoredImageFiles,
        setUp: { w in
            try await w.load("A")
            try w.slots.unload(.crash, forRestart: true)
        },
        act: { w throws(KexecError) in
            if case .failed(let error) = await w.loader.rearmUnloaded() { throw error }
        },
        next: { w throws(KexecError) in try await w.load("A") }, settled: "A")

    static let unload = CampaignOperation(
        name: "unload", summary: "`unload` of the armed kernel A",
        before: "A", baseline: ("empty", 0), allowed: ["A", "empty"], allowedAfterKill: ["A", "empty"],
        setUp: { w in try await w.load("A") },
        act: { w throws(KexecError) in try w.slots.unload(.crash) },
        next: { w throws(KexecError) in try w.slots.unload(.crash) }, settled: "empty")

    static let unloadForRestart = CampaignOperation(
        name: "unload --for-restart", summary: "the unit's `ExecStop=`: `unload --for-restart` of A",
        before: "A", baseline: ("empty", 0), allowed: ["A", "empty"], allowedAfterKill: ["A", "empty"],
        setUp: { w in try await w.load("A") },
        act: { w throws(KexecError) in try w.slots.unload(.crash, forRestart: true) },
        next: { w throws(KexecError) in try w.slots.unload(.crash, forRestart: true) }, settled: "empty")

    /// The fake Xen returns from a crash exec (a real one does not): exit 71, `execReturned`.
    static let exec = CampaignOperation(
        name: "exec", summary: "`exec` of the armed crash kernel A (the fake returns, as a failed crash path would)",
        before: "A", baseline: ("A", 71), allowed: ["A"], allowedAfterKill: ["A"],
        setUp: { w in try await w.load("A") },
        act: { w throws(KexecError) in try w.slots.exec(.crash) },
        next: { w throws(KexecError) in try await w.load("A", keepIfArmed: true) }, settled: "A")

    static let all: [CampaignOperation] = [
        .load, .reload, .reloadRestore, .provision, .provisionReload, .provisionRestart, .provisionRestartRearm,
        .rearmUnloaded, .unload, .unloadForRestart, .exec,
    ]
}
