import KexecPlan
import Logging
import SystemPackage
@testable import XenKexec

/// The loader wired to the recording fake, a scripted planner, a scratch
/// record directory, and two kernels (A and B) plus an initrd on disk.
final class LoaderHarness {
    let dir: ScratchDirectory
    let hv = RecordingHypervisor()
    let planner = ScriptedPlanner()
    let logs = LogCollector()
    let store: ArmedImageStore
    let kernelA: FilePath
    let kernelB: FilePath
    let initrd: FilePath
    let kernelABytes = pattern(20_000, seed: 1)
    let kernelBBytes = pattern(24_000, seed: 2)
    let initrdBytes = pattern(9_000, seed: 3)
    var now: Int64 = 1_764_100_000
    /// dom0's sysfs as the loader sees it: an empty tree (firmware unknown, no RSDP) unless a
    /// test writes files under it.
    var firmware: FirmwareDiscovery { FirmwareDiscovery(sysfsRoot: dir.path.appending("sys"), memoryDevice: dir.path.appending("mem")) }
    /// The Secure Boot gate: a BIOS host without lockdown (the policy does not apply) unless
    /// a test sets another.
    var gate: SecureBootGate

    init(base: String = "/tmp") {
        dir = ScratchDirectory(base: base)
        store = ArmedImageStore(directory: dir.path.appending("run"), bootID: "boot-1")
        kernelA = dir.file("vmlinuz-a", kernelABytes)
        kernelB = dir.file("vmlinuz-b", kernelBBytes)
        initrd = dir.file("initrd.img", initrdBytes)
        gate = SecureBootGate(sources: SecureBootSources(root: dir.path.appending("no-sysroot")), state: SecureBootState(readings: [], firmware: .bios), policy: SignaturePolicy())
    }

    deinit { dir.cleanup() }

    var loader: CrashKernelLoader {
        let t = now
        return CrashKernelLoader(
            hypervisor: hv, planner: planner, store: store,
            trust: FileTrustPolicy(allowedOwners: [SystemCalls.effectiveUserID]), firmware: firmware,
            gate: gate, logger: logs.logger, clock: { t })
    }

    var slots: SlotOperations { SlotOperations(hypervisor: hv, store: store, logger: logs.logger) }

    func invocation(_ kernel: FilePath, type: LoadType = .crash, skipPreflight: Bool = false, restore: Bool = true, append: String? = nil, arch: UInt16? = nil) -> LoadInvocation {
        LoadInvocation(kernel: kernel, initrd: initrd,
                       request: PlanRequest(type: type, commandLine: CommandLineRequest(replacement: "console=ttyS0", append: append)),
                       preflight: skipPreflight ? .skip(arch: arch) : .enforce, restoreOnRefusal: restore)
    }

    /// The segments the scripted planner makes for `kernel`, as Xen receives them.
    func expectedSegments(kernel: [UInt8]) -> [RecordedSegment] {
        let base: UInt64 = 0x4000_0000
        func pages(_ n: Int) -> UInt64 { UInt64((n + 4095) / 4096 * 4096) }
        return [
            RecordedSegment(dest: base + 0x20_0000, destSize: pages(kernel.count), bufSize: UInt64(kernel.count), sha256: sha256Hex(kernel)),
            RecordedSegment(dest: base + 0x100_0000, destSize: pages(initrdBytes.count), bufSize: UInt64(initrdBytes.count), sha256: sha256Hex(initrdBytes)),
            RecordedSegment(dest: base + 0x1000, destSize: 0x1000, bufSize: 4096, sha256: sha256Hex(planner.bootParams)),
            RecordedSegment(dest: 0, destSize: 0x10_0000, bufSize: 0, sha256: nil),
        ]
    }

    /// The digest the scripted planner gives `kernel` (with the harness's initrd) for `type`.
    func digest(kernel: [UInt8], type: LoadType = .crash) -> String {
        sha256Hex(kernel + initrdBytes + [type.rawValue])
    }

    static let hostQueries = ["range:crash", "memoryMap", "range:cpu", "range:vmcoreinfo", "range:xen"]

    func messages(_ level: Logger.Level) -> [String] {
        logs.lines.filter { $0.0 == level }.map(\.1)
    }
}
