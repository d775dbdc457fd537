import KexecImage
import Testing
@testable import KexecPlan
import KexecTestSupport

/// Random crash regions (size, alignment, above 4 GiB), synthetic kernels and initrd sizes:
/// every plan passes XenRules and the layout invariants, or a typed error explains why none
/// fits. A trap would abort the test run.
@Test(arguments: 0..<6)
func randomPlansAreValidOrExplained(batch: Int) throws {
    var rng = SplitMix64(seed: 0x5EED_0000 + UInt64(batch))
    var planned = 0
    for _ in 0..<60 {
        var k = SyntheticKernel()
        k.setupSects = [7, 15, 39, 4, 30].randomElement(using: &rng)!
        k.kernelAlignment = [0x20_0000, 0x40_0000, 0x100_0000, 0x30_0000, 0x1000].randomElement(using: &rng)!
        k.initSize = UInt32.random(in: 0x1000...0x500_0000, using: &rng)
        k.protectedModeSize = Int.random(in: 0x1000...0x4_0000, using: &rng) & ~0xF
        if Int.random(in: 0..<10, using: &rng) == 0 { k.xloadflags = 0x1 }
        let image = k.bytes()
        let initrd: [UInt8]? = Bool.random(using: &rng) ? [UInt8](repeating: 0xA5, count: Int.random(in: 1...0x40_0000, using: &rng)) : nil
        let sizeUnit: UInt64 = [0x1000, 0x10_0000, 0x200_0000].randomElement(using: &rng)!
        let size = UInt64.random(in: 1...512, using: &rng) * sizeUnit
        let baseChoices: [UInt64] = [0x1000_0000, 0x4000_0000, 0x1_2345_6000, 0x1_4000_0000, 0x8_0000, 0x100_0000_0000]
        let base = baseChoices.randomElement(using: &rng)! + UInt64.random(in: 0..<64, using: &rng) * 0x1000
        let host = try HostDescription.synthesized(crashRegion: AddressRange(start: base, size: size))
        let type = LoadType.allCases.randomElement(using: &rng)!
        let request = PlanRequest(
            type: type, commandLine: CommandLineRequest(append: "console=ttyS0"),
            xenReadsUnalignedHeader: Bool.random(using: &rng))
        var made: KexecLoadRequest?
        do throws(PlanError) {
            made = try Planner.plan(image: image, initrd: initrd, host: host, request: request)
        } catch {
            switch error {
            case .crashRegionTooSmall(_, let needed, _):
                #expect(needed > 0)
            case .notLoadable, .crashRegionInLowMemory, .noRoomInMemory:
                break
            default:
                Issue.record("unexpected error for \(type.name) in \(hex(base))+\(hex(size)): \(error)")
            }
        }
        if let plan = made {
            planned += 1
            try checkInvariants(plan, image: image, request: request, host: host)
        }
    }
    #expect(planned > 0)
}

/// What every plan must satisfy, whatever the inputs.
func checkInvariants(_ plan: KexecLoadRequest, image: [UInt8], request: PlanRequest, host: HostDescription) throws {
    #expect(plan.segments.count <= 15)
    #expect(plan.arch == 62)
    // No two segments share a 4 KiB page.
    let pages = plan.segments.map { $0.destination.pageRounded! }
    for i in pages.indices { for j in 0..<i { #expect(!pages[i].overlaps(pages[j]), "segments \(j) and \(i) share a page") } }
    for s in plan.segments { #expect(s.bufSize <= s.destSize) }
    // XenRules, for every target hypervisor.
    for hv in Planner.targetHypervisors(request) {
        #expect(XenRules.check(plan, files: SegmentFiles(image: image), crashRegion: host.crashRegion, hypervisor: hv) == nil)
    }
    #expect(plan.segments.contains { $0.role == .lowMemoryMap && $0.dest == 0 && $0.destSize == 0x10_0000 && $0.isBufferless })
    if plan.loadType?.isCrash == true {
        let region = try #require(host.crashRegion)
        for s in plan.segments where s.role != .lowMemoryMap { #expect(region.contains(s.destination)) }
        #expect(plan.e820.count >= 2)
        #expect(plan.e820.contains { $0.isRAM && $0.range.start < 0x10_0000 })
        #expect(plan.commandLine.contains("elfcorehdr="))
    }
    if plan.loadType == .crashEFI {
        let s0 = plan.segments[0]
        #expect(s0.role == .kernel)
        #expect(s0.source == .file(.image, 0..<image.count))
        let kern16 = UInt64((Int(image[0x1F1] == 0 ? 4 : image[0x1F1]) + 1) * 512)
        let align = UInt64(le(image, 0x230, UInt32.self))
        #expect((s0.dest + kern16) % align == 0)
        let initSize = UInt64(le(image, 0x260, UInt32.self))
        #expect(s0.destSize >= kern16 + ((initSize + 0xFFF) & ~0xFFF))
        #expect(!plan.segments.contains { $0.role == .purgatory || $0.role == .backup })
        #expect(plan.entryMaddr == plan.segments.first { $0.role == .bootParams }?.dest)
    } else {
        #expect(plan.entryMaddr == plan.segments.first { $0.role == .purgatory }?.dest)
    }
}

@Test func regionAbove4GiBWorks() throws {
    let image = SyntheticKernel().bytes()
    let host = try HostDescription.synthesized(crashRegion: AddressRange(start: 0x1_4000_0000, size: 0x1000_0000))
    for type in LoadType.allCases {
        let req = PlanRequest(type: type)
        let plan = try Planner.plan(image: image, initrd: [UInt8](repeating: 1, count: 5000), host: host, request: req)
        try checkInvariants(plan, image: image, request: req, host: host)
    }
}

@Test func missingRegionIsExplained() {
    #expect(throws: PlanError.noCrashRegion) {
        try Planner.plan(image: SyntheticKernel().bytes(), initrd: nil, host: HostDescription(crashRegion: nil), request: PlanRequest(type: .crash))
    }
}

@Test func tooSmallRegionNamesCrashkernel() throws {
    let host = try HostDescription.synthesized(crashRegion: AddressRange(start: 0x4000_0000, size: 0x20_0000))
    do {
        _ = try Planner.plan(image: SyntheticKernel().bytes(), initrd: nil, host: host, request: PlanRequest(type: .crashEFI))
        Issue.record("a 2 MiB region cannot hold a 4 MiB init_size")
    } catch {
        #expect("\(error)".contains("crashkernel="))
        if case .crashRegionTooSmall(_, let needed, _) = error { #expect(needed > 0x40_0000) } else { Issue.record("\(error)") }
    }
}

@Test func unalignedKern16IsRefusedUnlessXenReadsIt() throws {
    var k = SyntheticKernel()
    k.setupSects = 4  // kern16 0xa00
    let host = try HostDescription.synthesized(crashRegion: AddressRange(start: 0x4000_0000, size: 0x1000_0000))
    #expect(throws: PlanError.self) {
        try Planner.plan(image: k.bytes(), initrd: nil, host: host, request: PlanRequest(type: .crashEFI))
    }
    let plan = try Planner.plan(image: k.bytes(), initrd: nil, host: host, request: PlanRequest(type: .crashEFI, xenReadsUnalignedHeader: true))
    #expect(plan.segments[0].dest % 0x1000 == 0x600)
}

@Test func skipXenRulesPlansWhatXenWillRefuse() throws {
    // `xen-kexec-fidelity fault-load --skip-preflight` must be able to send a crash-efi image that Xen
    // refuses only after copying it (kernel_alignment 1 MiB), for the refused-reload tests.
    var k = SyntheticKernel()
    k.kernelAlignment = 0x10_0000
    let host = try HostDescription.synthesized(crashRegion: AddressRange(start: 0x4000_0000, size: 0x1000_0000))
    #expect(throws: PlanError.self) {
        try Planner.plan(image: k.bytes(), initrd: nil, host: host, request: PlanRequest(type: .crashEFI))
    }
    let plan = try Planner.plan(image: k.bytes(), initrd: nil, host: host, request: PlanRequest(type: .crashEFI, skipXenRules: true))
    #expect(plan.segments[0].bufSize == UInt64(k.bytes().count))
    // Still refused: a kernel no 64-bit load can start.
    k.xloadflags = 0
    #expect(throws: PlanError.self) {
        try Planner.plan(image: k.bytes(), initrd: nil, host: host, request: PlanRequest(type: .crashEFI, skipXenRules: true))
    }
}

@Test func thirtyTwoBitKernelIsRefusedForEFI() throws {
    var k = SyntheticKernel()
    k.xloadflags = 0
    let host = try HostDescription.synthesized(crashRegion: AddressRange(start: 0x4000_0000, size: 0x1000_0000))
    do {
        _ = try Planner.plan(image: k.bytes(), initrd: nil, host: host, request: PlanRequest(type: .crashEFI))
        Issue.record("planned a kernel without XLF_KERNEL_64")
    } catch {
        #expect("\(error)".contains("xloadflags"))
    }
}

@Test func commandLineTooLong() throws {
    var k = SyntheticKernel()
    k.cmdlineSize = 20
    let host = try HostDescription.synthesized(crashRegion: AddressRange(start: 0x4000_0000, size: 0x1000_0000))
    #expect(throws: PlanError.self) {
        try Planner.plan(image: k.bytes(), initrd: nil, host: host, request: PlanRequest(type: .crash, commandLine: .init(append: "console=ttyS0,115200")))
    }
}
