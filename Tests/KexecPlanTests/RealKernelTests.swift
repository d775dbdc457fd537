import Foundation
import KexecImage
import Testing
@testable import KexecPlan

/// The signed Debian bookworm kernel (6.1.0-56-amd64) under `$XEN_KEXEC_CACHE` (default
/// /var/cache/xen-kexec). Absent → the tests fail loudly: fetch it with
/// `tools/fetch-debian.sh linux-image-6.1.0-56-amd64`.
let bookwormKernelPath = (ProcessInfo.processInfo.environment["XEN_KEXEC_CACHE"] ?? "/var/cache/xen-kexec")
    + "/pkg/linux-image-6.1.0-56-amd64/boot/vmlinuz-6.1.0-56-amd64"

func bookwormKernel() throws -> [UInt8] {
    guard let d = FileManager.default.contents(atPath: bookwormKernelPath) else {
        Issue.record("missing \(bookwormKernelPath): run tools/fetch-debian.sh linux-image-6.1.0-56-amd64")
        throw CancellationError()
    }
    return [UInt8](d)
}

let bookwormRegion = AddressRange(start: 0x4000_0000, size: 0x1000_0000)  // crashkernel=256M@1G

@Test func bookwormEFIPlanIsConsistent() throws {
    let image = try bookwormKernel()
    let initrd = [UInt8](repeating: 0x5A, count: 0x10_0123)
    let host = try HostDescription.synthesized(crashRegion: bookwormRegion)
    let plan = try Planner.plan(
        image: image, initrd: initrd, host: host,
        request: PlanRequest(type: .crashEFI, commandLine: .init(append: "console=ttyS0 nr_cpus=1"), segmentDigests: true))
    let s0 = plan.segments[0]
    #expect(s0.source == .file(.image, 0..<image.count))
    let kern16 = UInt64((Int(image[0x1F1]) + 1) * 512)
    let align = UInt64(le(image, 0x230, UInt32.self))
    let initSize = UInt64(le(image, 0x260, UInt32.self))
    #expect((s0.dest + kern16) % align == 0)
    #expect(s0.destSize >= kern16 + ((initSize + 0xFFF) & ~0xFFF))
    #expect(plan.kernelEntry == s0.dest + kern16 + 0x200)

    // boot_params: header copied, pointers consistent with the other segments.
    let bpSeg = try #require(plan.segments.first { $0.role == .bootParams })
    #expect(plan.entryMaddr == bpSeg.dest)
    guard case .generated(let bp) = bpSeg.source else { Issue.record("boot_params not generated"); return }
    for o in 0x1F1..<0x26C where ![0x210, 0x218, 0x219, 0x21A, 0x21B, 0x21C, 0x21D, 0x21E, 0x21F, 0x228, 0x229, 0x22A, 0x22B].contains(o) {
        #expect(bp[o] == image[o], "setup header byte \(hex(UInt64(o)))")
    }
    #expect(bp[0x210] == 0xD0)
    let cmdPtr = UInt64(le(bp, 0x228, UInt32.self)) | UInt64(le(bp, 0xC8, UInt32.self)) << 32
    #expect(cmdPtr == bpSeg.dest + 4096)
    let cmdBytes = Array(bp[4096...])
    #expect(cmdBytes == Array(plan.commandLine.utf8) + [0])
    let rd = try #require(plan.segments.first { $0.role == .initrd })
    #expect(UInt64(le(bp, 0x218, UInt32.self)) | UInt64(le(bp, 0xC0, UInt32.self)) << 32 == rd.dest)
    #expect(UInt64(le(bp, 0x21C, UInt32.self)) == UInt64(initrd.count))
    #expect(le(bp, 0x23C, UInt32.self) == 0)
    // e820 in boot_params = the plan's; low RAM; the kernel's runtime range is RAM; the core header is not.
    let n = Int(bp[0x1E8])
    #expect(n == plan.e820.count && n >= 2)
    for (i, m) in plan.e820.enumerated() {
        #expect(le(bp, 0x2D0 + 20 * i, UInt64.self) == m.range.start)
        #expect(le(bp, 0x2D0 + 20 * i + 8, UInt64.self) == m.range.size)
        #expect(le(bp, 0x2D0 + 20 * i + 16, UInt32.self) == m.type)
    }
    #expect(plan.e820.contains { $0.isRAM && $0.range.start == 0 })
    let runtime = AddressRange(start: s0.dest + kern16, size: initSize)
    #expect(plan.e820.contains { $0.isRAM && $0.range.contains(runtime) })
    let elf = try #require(plan.segments.first { $0.role == .elfCoreHeader })
    #expect(!plan.e820.contains { $0.isRAM && $0.range.overlaps(elf.destination) })
    #expect(plan.commandLine.hasSuffix("elfcorehdr=\(hex(elf.dest))"))
    #expect(plan.segments.last?.role == .lowMemoryMap)
    // Segment 0's own digest (asked for) is the file's.
    #expect(s0.sha256 == PlanDigest.sha256(image, 0..<image.count))
    #expect(hexDigits(s0.sha256!).hasPrefix("26f2e57c"))  // = sha256sum of the file
}

/// kexec-tools' crash layout under Xen (kexec/arch/i386/kexec-bzImage.c, crashdump-x86.c):
/// kernel, initrd, boot_params, purgatory, ELF core header, backup, plus the [0, 1 MiB) map,
/// at kexec-tools' addresses; sent by address with the purgatory last (the one-pass digest).
@Test func bookwormClassicPlanHasKexecToolsRoles() throws {
    let image = try bookwormKernel()
    let plan = try Planner.plan(
        image: image, initrd: [UInt8](repeating: 1, count: 0xfb3af), host: .synthesized(crashRegion: bookwormRegion),
        request: PlanRequest(type: .crash))
    let kexecToolsRoles: [SegmentRole] = [.lowMemoryMap, .kernel, .initrd, .bootParams, .purgatory, .elfCoreHeader, .backup]
    #expect(plan.segments.sorted { $0.dest < $1.dest }.map { $0.role } == kexecToolsRoles)
    #expect(plan.segments.map { $0.role } == [.lowMemoryMap, .kernel, .initrd, .bootParams, .elfCoreHeader, .backup, .purgatory])
    // Same addresses as kexec-tools for the kernel, ELF core header and backup.
    #expect(plan.segments[1].dest == 0x4be0_0000 && plan.segments[1].destSize == 0x3f9_8000)
    #expect(plan.segments.first { $0.role == .elfCoreHeader }?.dest == 0x4ff5_c000)
    #expect(plan.segments.first { $0.role == .backup }?.dest == 0x4ff6_0000)
    #expect(plan.entryMaddr == plan.segments.first { $0.role == .purgatory }?.dest)
    #expect(plan.kernelEntry == 0x4be0_0200)
}

/// A default image goes into the crash region when it fits there: Xen never hands those pages
/// out as heap, so its `kimage_alloc_page()` cannot turn one of them into a "source = page 0"
/// entry (DefaultLayout's doc comment).
@Test func bookwormDefaultPlanLiesInTheCrashRegionWhenItFits() throws {
    let image = try bookwormKernel()
    var host = try HostDescription.synthesized(crashRegion: bookwormRegion)
    host.xenImage = AddressRange(start: 0x7fa0_0000, size: 0x3a_6140)
    let plan = try Planner.plan(image: image, initrd: nil, host: host, request: PlanRequest(type: .default))
    for s in plan.segments where s.role != .lowMemoryMap {
        #expect(bookwormRegion.contains(s.destination), "\(s.role) at \(s.destination)")
    }
    #expect(plan.e820 == host.memoryMap)
}

/// Without a crash region the default image goes into RAM outside Xen's image.
@Test func bookwormDefaultPlanWithoutACrashRegionAvoidsXen() throws {
    let image = try bookwormKernel()
    var host = try HostDescription.synthesized(crashRegion: bookwormRegion)
    host.crashRegion = nil
    host.xenImage = AddressRange(start: 0x7fa0_0000, size: 0x3a_6140)
    let plan = try Planner.plan(image: image, initrd: nil, host: host, request: PlanRequest(type: .default))
    for s in plan.segments where s.role != .lowMemoryMap {
        #expect(!s.destination.overlaps(host.xenImage!))
        #expect(s.destination.start >= 0x10_0000)
    }
    #expect(plan.e820 == host.memoryMap)
}
