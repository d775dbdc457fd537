#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KexecPlan
import SystemPackage
@testable import XenKexec
@testable import xen_kexec_load

/// One fresh dom0 for one cell of the campaign: the recording fake Xen behind a
/// ``FaultingHypervisor``, the record store on a ``FaultingStateDirectory``, kernels A and B
/// and an initrd on disk (``LoaderHarness``), dom0's VMCOREINFO note in its sysfs, and the
/// defaults file `provision` reads.
final class CampaignWorld {
    /// On a tmpfs when there is one (each record write `fsync`s).
    let h = LoaderHarness(base: SystemCalls.isDirectory("/dev/shm") ? "/dev/shm" : "/tmp")
    let schedule = FaultSchedule()
    let hv: FaultingHypervisor
    let store: ArmedImageStore

    init() {
        hv = FaultingHypervisor(h.hv, schedule: schedule)
        store = ArmedImageStore(directory: h.store.directory, bootID: "boot-1",
                                files: FaultingStateDirectory(schedule: schedule, directory: h.store.directory))
        mkdir(h.dir.path.appending("sys").string, 0o755)
        mkdir(h.dir.path.appending("sys/kernel").string, 0o755)
        h.dir.file("sys/kernel/vmcoreinfo", Array("7fd7c540 1000\n".utf8))
    }

    var loader: CrashKernelLoader {
        CrashKernelLoader(
            hypervisor: hv, planner: h.planner, store: store,
            trust: FileTrustPolicy(allowedOwners: [SystemCalls.effectiveUserID]), firmware: h.firmware,
            gate: h.gate, logger: h.logs.logger, clock: { 1_764_100_000 })
    }

    var slots: SlotOperations { SlotOperations(hypervisor: hv, store: store, logger: h.logs.logger) }

    var vmcoreInfo: FilePath { h.dir.path.appending("sys/kernel/vmcoreinfo") }
    var defaultsFile: FilePath { h.dir.path.appending("xen-kexec-load") }
    var kdumpToolsFile: FilePath { h.dir.path.appending("kdump-tools") }
    var missingKernel: FilePath { h.dir.path.appending("vmlinuz-removed") }

    func kernel(_ image: String) -> FilePath { image == "A" ? h.kernelA : h.kernelB }

    /// Loads `image` (A or B) as the crash kernel, keeping it if it is armed already.
    func load(_ image: String, keepIfArmed: Bool = false) async throws(KexecError) {
        _ = try await loader.load(h.invocation(kernel(image)), keepIfArmed: keepIfArmed)
    }

    /// `provision` as the unit runs it, with the defaults file naming `kernel` (and the
    /// harness's initrd); a kdump-tools file is read when one exists.
    func provision() async throws(KexecError) {
        let dir = h.dir.path
        let run = ProvisionRun(
            configPath: defaultsFile, kdumpToolsPath: kdumpToolsFile,
            gate: { SecureBootGate(sources: SecureBootSources(root: dir.appending("no-sysroot")), state: SecureBootState(readings: [], firmware: .bios), policy: $0) },
            openHypervisor: { () throws(KexecError) -> any KexecHypervisor in self.hv },
            store: store,
            lock: { _ throws(KexecError) in try InstanceLock.acquire(dir.appending("lock"), timeoutSeconds: 1) },
            firmware: { _ in FirmwareDiscovery(sysfsRoot: dir.appending("sys")) },
            facts: { xen in
                ProvisionFacts(kernelRelease: "0.0.0-xen-kexec-test", dom0CommandLine: "root=/dev/xvda1 ro console=hvc0",
                               xenCommandLine: xen, lockdown: nil, secureBoot: nil)
            },
            planner: h.planner)
        _ = try await run.perform(logger: h.logs.logger)
    }

    /// Writes the defaults file for a crash kernel at `kernel`.
    func configure(_ kernel: FilePath) {
        rmdir(defaultsFile.string)
        h.dir.file("xen-kexec-load", Array("XEN_KEXEC_KERNEL=\(kernel)\nXEN_KEXEC_INITRD=\(h.initrd)\nXEN_KEXEC_TYPE=crash\n".utf8))
    }

    /// The administrator's fix after a file fault: every input file as it was set up.
    func repairFiles() {
        for (path, bytes) in [(h.kernelA, h.kernelABytes), (h.kernelB, h.kernelBBytes), (h.initrd, h.initrdBytes)] {
            remove(path)
            h.dir.file(path.lastComponent!.string, bytes)
        }
        remove(kdumpToolsFile)
        remove(vmcoreInfo)
        h.dir.file("sys/kernel/vmcoreinfo", Array("7fd7c540 1000\n".utf8))
    }

    /// Removes a file, link or directory.
    func remove(_ path: FilePath) {
        try? FileManager.default.removeItem(atPath: path.string)
    }

    // MARK: What Xen holds

    /// "A", "B", "empty", "damaged" (a refused crash load copied over the armed image) or "other".
    var slot: String {
        if h.hv.crashSlotDamaged { return "damaged" }
        guard let held = h.hv.slots[1] else { return "empty" }
        if held.segments == h.expectedSegments(kernel: h.kernelABytes) { return "A" }
        if held.segments == h.expectedSegments(kernel: h.kernelBBytes) { return "B" }
        return "other"
    }

    /// The image a record's plan digest names.
    func image(digest: String) -> String {
        if digest == h.digest(kernel: h.kernelABytes) { return "A" }
        if digest == h.digest(kernel: h.kernelBBytes) { return "B" }
        return "other"
    }

    /// `status` as the next invocation sees it (no fault injected): its exit code and answer.
    func status() throws(KexecError) -> (code: Int32, status: ArmedStatus) {
        let s = try slots.status(.crash)
        return (StatusReport(s, slot: "crash").exit.rawValue, s)
    }

    // MARK: Kills

    /// What a killed process leaves: Xen's slots and the state directory's files.
    struct Leftovers {
        var xen: RecordingHypervisor.Held
        var files: [String: [UInt8]]?
    }

    func leftovers() -> Leftovers {
        let dir = store.directory.string
        let names = try? FileManager.default.contentsOfDirectory(atPath: dir)
        let files = names.map { list in
            Dictionary(uniqueKeysWithValues: list.map { ($0, [UInt8](FileManager.default.contents(atPath: dir + "/" + $0) ?? Data())) })
        }
        return Leftovers(xen: h.hv.held, files: files)
    }

    /// Puts back what the killed process left, for the next invocation to find.
    func restore(_ left: Leftovers) {
        h.hv.held = left.xen
        let dir = store.directory.string
        remove(store.directory)
        guard let files = left.files else { return }
        mkdir(dir, 0o755)
        for (name, bytes) in files { FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(bytes)) }
    }
}
