import SystemPackage
@testable import XenKexec
@testable import xen_kexec_load

/// One operation of the campaign: how its dom0 is set up (without faults), what it does,
/// which images may hold the crash slot after one fault, and what the next invocation runs.
struct CampaignOperation: Sendable {
    /// The heading in docs/reliability.md.
    var name: String
    /// What the operation is, in one line.
    var summary: String
    /// The image armed before ("A", or "empty").
    var before: String
    /// What the crash slot holds and the exit code when nothing is injected.
    var baseline: (slot: String, exit: Int32)
    /// What may hold the crash slot after an injected fault (errno, file), and after a kill.
    var allowed: Set<String>
    var allowedAfterKill: Set<String>
    /// Whether a run that succeeds may leave the slot as it was (nothing to re-arm).
    var successMayKeep = false
    /// The first step to inject at: steps before it (an operation whose first fault is part
    /// of its set-up) are another operation's.
    var sweepFrom: @Sendable ([String]) -> Int = { _ in 0 }
    /// The files the operation reads, with the faults each is given.
    var files: [(row: String, path: @Sendable (CampaignWorld) -> FilePath, faults: [FileFault])] = []
    var setUp: @Sendable (CampaignWorld) async throws -> Void
    /// The operation; what it throws is turned into the CLI's exit code.
    var act: @Sendable (CampaignWorld) async throws(KexecError) -> Void
    /// The next invocation after the fault, and what the crash slot must then hold ("A", "B" or "empty").
    var next: @Sendable (CampaignWorld) async throws(KexecError) -> Void
    var settled: String
}

extension CampaignOperation {
    /// The new image's files, as `load` and `provision` read them.
    static func newImageFiles(_ image: String) -> [(row: String, path: @Sendable (CampaignWorld) -> FilePath, faults: [FileFault])] {
        let faults: [FileFault] = [.missing, .directory, .worldWritable, .foreignOwner, .symlinkLoop, .notADirectoryInPath]
        return [
            ("read kernel \(image)", { $0.kernel(image) }, faults),
            ("read initrd", { $0.h.initrd }, faults),
            ("read dom0 sysfs kernel/vmcoreinfo", { $0.vmcoreInfo }, [.missing, .directory, .garbage, .empty]),
        ]
    }

    /// The files of the image armed before, re-read by a restore.
    static let restoredImageFiles: [(row: String, path: @Sendable (CampaignWorld) -> FilePath, faults: [FileFault])] = [
        ("re-read kernel A", { $0.h.kernelA }, FileFault.allCases.filter { $0 != .garbage }),
        ("re-read initrd", { $0.h.initrd }, FileFault.allCases.filter { $0 != .garbage }),
        ("re-read dom0 sysfs kernel/vmcoreinfo", { $0.vmcoreInfo }, [.missing, .directory, .garbage, .empty]),
    ]
}
