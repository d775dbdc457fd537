import Foundation
import KexecPlan
import Logging
import SystemPackage
import Testing
import XenKexec
@testable import xen_kexec_load

/// A Xen whose crash slot already holds an image: it answers the range queries and counts
/// every call that would change the slot.
final class PreArmedHypervisor: KexecHypervisor {
    var region: AddressRange? = AddressRange(start: 0x4000_0000, size: 0x1000_0000)
    private(set) var slotChanges: [String] = []
    var crashStatusBit = true

    func crashRegion() throws(HypercallFailure) -> AddressRange? { region }
    func xenImageRange() throws(HypercallFailure) -> AddressRange? { nil }
    func vmcoreInfoRange() throws(HypercallFailure) -> AddressRange? { nil }
    func cpuNoteRanges() throws(HypercallFailure) -> [AddressRange] { [] }
    func machineMemoryMap() throws(HypercallFailure) -> [MemoryRange] {
        [MemoryRange(start: 0x10_0000, size: 0x7ff0_0000, type: .ram)]
    }
    func hypervisorCommandLine() throws(HypercallFailure) -> String { "console=com1 crashkernel=256M@1G" }
    func allocatePayload(byteCount: Int) throws(HypercallFailure) -> PayloadBuffer { PayloadBuffer.heap(byteCount: byteCount) }
    func load(_ request: KexecLoadRequest) throws(HypercallFailure) { slotChanges.append("load:\(request.type)") }
    func unload(type: UInt8) throws(HypercallFailure) { slotChanges.append("unload:\(type)") }
    func exec(type: UInt8) throws(HypercallFailure) { slotChanges.append("exec:\(type)") }
    func statusBit(type: UInt8) throws(HypercallFailure) -> Bool { type == 0 ? false : crashStatusBit }
}

/// `provision`'s failures at boot: the exit code from the one table, a message that names
/// what to fix, and Xen's armed image untouched.
@Suite struct ProvisionRunTests {
    let dir = NSTemporaryDirectory() + "xen-kexec-provision-run-\(UUID().uuidString)"

    func write(_ name: String, _ text: String) throws -> FilePath {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        return FilePath(dir + "/" + name)
    }

    /// Runs `provision` with `config` (and kdump-tools' `kdumpTools`, if any) against `hv`;
    /// returns the error, its message and exit code, and how often the hypervisor was opened.
    func run(config: String, kdumpTools: String? = nil, hv: PreArmedHypervisor, unloaded: ArmedImageRecord? = nil, log: CollectedLog = CollectedLog()) async throws -> (KexecError?, String, ToolExit?, Int) {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = ArmedImageStore(directory: FilePath(dir + "/run"), bootID: "boot-1")
        if let unloaded {
            try store.write(unloaded)
            try store.retire(slot: .crash)
        }
        let configPath = try write("xen-kexec-load", config)
        let kdumpPath = try kdumpTools.map { try write("kdump-tools", $0) } ?? FilePath(dir + "/no-kdump-tools")
        var opened = 0
        let run = ProvisionRun(
            configPath: configPath, kdumpToolsPath: kdumpPath,
            // A BIOS host without lockdown: only the defaults file can turn the policy on.
            gate: { SecureBootGate(sources: SecureBootSources(root: FilePath(dir + "/root")), state: SecureBootState(readings: [], firmware: .bios), policy: $0) },
            openHypervisor: { () throws(KexecError) -> any KexecHypervisor in opened += 1; return hv },
            store: store,
            lock: { _ throws(KexecError) in try InstanceLock.acquire(FilePath(dir + "/lock"), timeoutSeconds: 1) },
            firmware: { _ in FirmwareDiscovery(sysfsRoot: FilePath(dir + "/sys"), memoryDevice: FilePath(dir + "/mem")) },
            facts: { xen in
                ProvisionFacts(kernelRelease: "0.0.0-xen-kexec-test", dom0CommandLine: "root=/dev/xvda1 ro console=hvc0",
                               xenCommandLine: xen, lockdown: nil, secureBoot: nil)
            })
        do throws(KexecError) {
            _ = try await run.perform(logger: log.logger)
            return (nil, "", nil, opened)
        } catch {
            let (message, exit, _) = Diagnosis.describe(error)
            return (error, message, exit, opened)
        }
    }

    func expectArmedUntouched(_ hv: PreArmedHypervisor) {
        #expect(hv.slotChanges.isEmpty, "\(hv.slotChanges)")
        #expect(hv.crashStatusBit)
    }

    @Test func aBadDefaultsFileIs78AndNeverReachesXen() async throws {
        let hv = PreArmedHypervisor()
        let (_, message, exit, opened) = try await run(config: "XEN_KEXEC_KERNEL=/boot/vmlinuz-$(uname -r)\n", hv: hv)
        #expect(exit == .config)
        #expect(message.contains("xen-kexec-load: line 1") && message.contains("write the value literally"), "\(message)")
        #expect(opened == 0)
        expectArmedUntouched(hv)
    }

    @Test func aBadKdumpToolsFileIs78AndNeverReachesXen() async throws {
        let hv = PreArmedHypervisor()
        let (_, message, exit, opened) = try await run(config: "", kdumpTools: "USE_KDUMP=1\nKDUMP_CMDLINE_APPEND=\"nr_cpus=1\n", hv: hv)
        #expect(exit == .config)
        #expect(message.contains("kdump-tools: line 2: unterminated quote"), "\(message)")
        #expect(opened == 0)
        expectArmedUntouched(hv)
    }

    @Test func aMissingKernelIs66AndKeepsTheArmedImage() async throws {
        let hv = PreArmedHypervisor()
        let (error, message, exit, _) = try await run(config: "XEN_KEXEC_KERNEL=/nonexistent/vmlinuz\nXEN_KEXEC_TYPE=crash\n", hv: hv)
        #expect(error == .fileUnavailable("/nonexistent/vmlinuz", .noSuchFileOrDirectory))
        #expect(exit == .noInput)
        #expect(message.contains("cannot read /nonexistent/vmlinuz"))
        expectArmedUntouched(hv)
    }

    @Test func aMissingKdumpInitrdIs66AndSaysHowToBuildIt() async throws {
        let hv = PreArmedHypervisor()
        let kernel = try write("vmlinuz", "not read: the initrd is missing first")
        let (_, message, exit, _) = try await run(
            config: "XEN_KEXEC_TYPE=crash\n",
            kdumpTools: "USE_KDUMP=1\nKDUMP_KERNEL=\(kernel)\nKDUMP_INITRD=/var/lib/kdump/initrd.img\n", hv: hv)
        // Both files are read before the kernel is parsed: the missing kdump initrd is found first.
        #expect(exit == .noInput)
        #expect(message.contains("cannot read /var/lib/kdump/initrd.img-0.0.0-xen-kexec-test"), "\(message)")
        #expect(message.contains("/etc/kernel/postinst.d/kdump-tools 0.0.0-xen-kexec-test"), "\(message)")
        expectArmedUntouched(hv)
    }

    @Test func noCrashRegionIs78AndSendsNothing() async throws {
        let hv = PreArmedHypervisor()
        hv.region = nil
        // The pipeline reads the files before it asks Xen for the region: the kernel exists.
        let kernel = try write("vmlinuz", "not a kernel")
        let (error, message, exit, _) = try await run(config: "XEN_KEXEC_KERNEL=\(kernel)\nXEN_KEXEC_INITRD=none\nXEN_KEXEC_TYPE=crash\n", hv: hv)
        #expect(error == .noCrashRegion)
        #expect(exit == .config)
        #expect(message.contains("crashkernel=") && message.contains("Xen's command line"))
        expectArmedUntouched(hv)
    }

    /// After `systemctl restart`'s unload, a bad defaults file: the unloaded image is looked
    /// for again, here (its kernel gone) in vain, and the log says nothing is armed.
    @Test func aBadDefaultsFileAfterAnUnloadTriesToRearmAndSaysWhatIsArmed() async throws {
        let hv = PreArmedHypervisor()
        hv.crashStatusBit = false
        let unloaded = ArmedImageRecord(
            type: .crash, digest: String(repeating: "ab", count: 32), kernel: .init(path: dir + "/vmlinuz-gone"), initrd: nil,
            commandLineRequest: CommandLineRequest(replacement: "console=hvc0"), commandLine: "console=hvc0", segmentCount: 4,
            loadedAt: 1_764_100_000, xenStatusBit: true, bootID: "boot-1")
        let log = CollectedLog()
        let (error, _, exit, opened) = try await run(config: "XEN_KEXEC_TYPE=sometimes\n", hv: hv, unloaded: unloaded, log: log)
        guard case .badConfiguration = error else { Issue.record("\(String(describing: error))"); return }
        #expect(exit == .config)
        #expect(opened == 1)
        #expect(hv.slotChanges.isEmpty, "\(hv.slotChanges)")
        #expect(log.lines.contains { $0.contains("could not be armed again") && $0.contains("vmlinuz-gone") && $0.contains("NO CRASH KERNEL IS ARMED") }, "\(log.lines)")
    }
}
