import Foundation
import KexecImage
import KexecPlan
import Testing

/// What a distribution's CI can check before it ships a kernel for Xen hosts with kdump: that
/// the kernel and its initrd fit the crash region a real host reserved and pass Xen's load
/// rules — with the library alone (`KexecPlan`, `KexecImage`): no `xen-kexec-load`, no Xen, no
/// root. docs/library.md explains each call.
///
/// The kernel is Debian bookworm's signed `linux-image-6.1.0-56-amd64`, fetched into
/// `$XEN_KEXEC_CACHE` (default /var/cache/xen-kexec) by `tools/fetch-test-kernels.sh`; the host
/// is `xen-kexec-load range --json` from the e2e suite's Debian Xen 4.17 host (QEMU, BIOS,
/// `crashkernel=256M@1G`), committed next to this file.
@Suite struct KernelFitsCrashRegionTests {
    static let cache = ProcessInfo.processInfo.environment["XEN_KEXEC_CACHE"] ?? "/var/cache/xen-kexec"
    static let kernelPath = cache + "/pkg/linux-image-6.1.0-56-amd64/boot/vmlinuz-6.1.0-56-amd64"
    static let hostPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("hosts/xen-4.17-qemu-bios.json").path

    struct MissingFile: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "\(path) is missing; fetch the pinned kernels with: XEN_KEXEC_CACHE=\(KernelFitsCrashRegionTests.cache) tools/fetch-test-kernels.sh"
        }
    }

    /// A file's bytes, or a failing test that says how to get it (never a silent skip).
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw MissingFile(path: path) }
        return [UInt8](data)
    }

    /// An initramfs of about the size of Debian's (an `/init` script and 24 MiB of modules).
    static let initrd = Initramfs.newc([
        (name: "init", mode: 0o100755, bytes: Array("#!/bin/sh\nexec /bin/sh\n".utf8)),
        (name: "modules.img", mode: 0o100644, bytes: [UInt8](repeating: 0x4B, count: 24 << 20)),
    ])

    /// The kernel plans as a classic crash load (every Xen) and as a crash-efi load (Xen with the
    /// Secure Boot series): every segment with a buffer lies in the crash region, and each
    /// hypervisor profile the load targets accepts the request Xen would receive.
    @Test(arguments: [LoadType.crash, .crashEFI])
    func debianKernelFitsTheHostsCrashRegion(type: LoadType) throws {
        let kernel = try Self.read(Self.kernelPath)
        let host = try #require(PlanJSON.decodeHost(try Self.read(Self.hostPath)), "not a `range --json` host description")
        let region = try #require(host.crashRegion)
        let request = PlanRequest(type: type, commandLine: CommandLineRequest(append: "console=ttyS0 nr_cpus=1"))

        let plan = try Planner.plan(image: kernel, initrd: Self.initrd, host: host, request: request)

        for segment in plan.segments where !segment.isBufferless {
            #expect(region.contains(segment.destination), "\(segment.role) at \(hex(segment.dest))")
        }
        #expect(plan.segments.contains { $0.role == .initrd && $0.bufSize == UInt64(Self.initrd.count) })
        // Planner.plan has applied these already; a CI that cares about one Xen asks it directly,
        // of the request as it is sent.
        let files = SegmentFiles(image: kernel, initrd: Self.initrd)
        for hypervisor in Planner.targetHypervisors(request) {
            #expect(XenRules.check(plan, files: files, crashRegion: region, hypervisor: hypervisor) == nil, "\(hypervisor)")
        }
        #expect(plan.digest.count == 32)
    }

    /// A host described in code whose crash region (`crashkernel=32M@1G`) cannot hold the kernel's
    /// `init_size` and the initrd: the planner refuses with the typed error, which says how much
    /// is needed and which `crashkernel=` would do.
    @Test func aCrashRegionTooSmallIsRefusedWithTheTypedError() throws {
        let kernel = try Self.read(Self.kernelPath)
        let region = AddressRange(start: 0x4000_0000, size: 32 << 20)
        let host = HostDescription(
            crashRegion: region,
            memoryMap: [
                MemoryRange(start: 0, size: 0x9_FC00, type: .ram),
                MemoryRange(start: 0x10_0000, size: 0x7FF0_0000, type: .ram),
            ],
            firmware: .bios)

        do {
            _ = try Planner.plan(image: kernel, initrd: Self.initrd, host: host, request: PlanRequest(type: .crash))
            Issue.record("a 32 MiB crash region was accepted for a kernel and a 24 MiB initrd")
        } catch {
            guard case .crashRegionTooSmall(let refused, let needed, _) = error else {
                Issue.record("expected PlanError.crashRegionTooSmall, got \(error)")
                return
            }
            #expect(refused == region)
            #expect(needed > region.size)
            #expect("\(error)".contains("raise Xen's crashkernel= option, e.g. crashkernel="))
        }
    }
}
