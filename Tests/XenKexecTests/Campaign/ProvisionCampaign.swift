import SystemPackage
@testable import XenKexec

/// `provision` (the unit's start and reload), and after `systemctl restart` (the unit's
/// `unload --for-restart`, then `provision`).
extension CampaignOperation {
    static let provisionFiles = [
        (row: "read defaults file", path: { @Sendable (w: CampaignWorld) in w.defaultsFile }, faults: [FileFault.garbage, .directory]),
        (row: "read kdump-tools file", path: { @Sendable (w: CampaignWorld) in w.kdumpToolsFile }, faults: [FileFault.garbage, .directory]),
    ]

    static let provision = CampaignOperation(
        name: "provision at boot", summary: "`provision` of kernel A with nothing armed",
        before: "empty", baseline: ("A", 0), allowed: ["empty", "A"], allowedAfterKill: ["empty", "A"],
        files: newImageFiles("A") + provisionFiles,
        setUp: { w in w.configure(w.h.kernelA) },
        act: { w throws(KexecError) in try await w.provision() },
        next: { w throws(KexecError) in w.configure(w.h.kernelA); try await w.provision() }, settled: "A")

    static let provisionReload = CampaignOperation(
        name: "provision over an armed image", summary: "`provision` (`systemctl reload`) of kernel B with A armed",
        before: "A", baseline: ("B", 0), allowed: ["A", "B"], allowedAfterKill: ["A", "B"],
        files: newImageFiles("B") + provisionFiles,
        setUp: { w in
            try await w.load("A", keepIfArmed: true)
            w.configure(w.h.kernelB)
        },
        act: { w throws(KexecError) in try await w.provision() },
        next: { w throws(KexecError) in w.configure(w.h.kernelB); try await w.provision() }, settled: "B")

    /// `systemctl restart` to kernel B: the unit's unload kept A's record; a provision that
    /// fails arms A again. One fault anywhere must leave A or B armed.
    static let provisionRestart = CampaignOperation(
        name: "provision after restart", summary: "`unload --for-restart` of A, then `provision` of kernel B",
        before: "A", baseline: ("B", 0), allowed: ["A", "B"], allowedAfterKill: ["empty", "A", "B"],
        // Not the initrd: A shares it, so a broken one stops A's re-arm too.
        files: newImageFiles("B").filter { $0.row != "read initrd" } + provisionFiles,
        setUp: { w in
            try await w.load("A", keepIfArmed: true)
            try w.slots.unload(.crash, forRestart: true)
            w.configure(w.h.kernelB)
        },
        act: { w throws(KexecError) in try await w.provision() },
        next: { w throws(KexecError) in w.configure(w.h.kernelB); try await w.provision() }, settled: "B")

    /// `systemctl restart` with a defaults file naming a kernel that is gone: `provision`
    /// fails (66) and re-arms A. A fault in that re-arm is a second fault.
    static let provisionRestartRearm = CampaignOperation(
        name: "re-arm after a failed provision",
        summary: "`unload --for-restart` of A, then `provision` of a missing kernel (66), which re-arms A",
        before: "A", baseline: ("A", 66), allowed: ["A", "empty"], allowedAfterKill: ["A", "empty"],
        files: restoredImageFiles,
        setUp: { w in
            try await w.load("A", keepIfArmed: true)
            try w.slots.unload(.crash, forRestart: true)
            w.configure(w.missingKernel)
        },
        act: { w throws(KexecError) in try await w.provision() },
        next: { w throws(KexecError) in try await w.load("A") }, settled: "A")
}
