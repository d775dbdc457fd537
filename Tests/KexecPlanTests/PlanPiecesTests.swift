import Testing
@testable import KexecPlan

@Test func crashRegionSyntax() {
    #expect(CrashRegion.parse("256M@1G") == AddressRange(start: 0x4000_0000, size: 0x1000_0000))
    #expect(CrashRegion.parse("0x1000000@0x40000000") == AddressRange(start: 0x4000_0000, size: 0x100_0000))
    #expect(CrashRegion.parse("256M") == nil)
    #expect(CrashRegion.parse("0@1G") == nil)
    #expect(CrashRegion.parse("16T@18446744073709551615") == nil)
}

@Test func reuseDropsBootImageAndCrashkernel() throws {
    let line = try KernelCommandLine.build(
        CommandLineRequest(append: "nr_cpus=1", reuse: "BOOT_IMAGE=/vmlinuz root=/dev/sda1 crashkernel=256M quiet"),
        embedded: nil, elfCoreHeader: 0x4fff_c000, maximum: 2047)
    #expect(line == "root=/dev/sda1 quiet nr_cpus=1 elfcorehdr=0x4fffc000")
}

@Test func userElfcorehdrIsReplaced() throws {
    let line = try KernelCommandLine.build(CommandLineRequest(replacement: "a elfcorehdr=1 \"b c\""), embedded: "ignored", elfCoreHeader: 0x1000, maximum: 100)
    #expect(line == "a \"b c\" elfcorehdr=0x1000")
}

@Test func embeddedCommandLineIsTheBase() throws {
    #expect(try KernelCommandLine.build(CommandLineRequest(append: "x"), embedded: "root=UUID=1", elfCoreHeader: nil, maximum: 100) == "root=UUID=1 x")
}

@Test func elfCoreHeaderLayout() {
    let b = ElfCoreHeader.build(
        notes: [AddressRange(start: 0x7ffc_d700, size: 0x1f4)],
        loads: [.init(paddr: 0x10_0000, offset: 0x10_0000, size: 0x3ff0_0000)])
    #expect(b.count == 64 + 2 * 56)
    #expect(Array(b[0..<4]) == [0x7F, 0x45, 0x4C, 0x46])
    #expect(le(b, 16, UInt16.self) == 4)  // ET_CORE
    #expect(le(b, 18, UInt16.self) == 62)
    #expect(le(b, 56, UInt16.self) == 2)
    #expect(le(b, 64, UInt32.self) == 4)  // PT_NOTE
    #expect(le(b, 64 + 24, UInt64.self) == 0x7ffc_d700)
    #expect(le(b, 120, UInt32.self) == 1)  // PT_LOAD
    #expect(le(b, 120 + 16, UInt64.self) == 0xFFFF_8880_0010_0000)
}

@Test func crashE820HasLowRAMAndSkipsTheCoreHeader() throws {
    let region = AddressRange(start: 0x4000_0000, size: 0x1000_0000)
    let e = try CrashMemoryMap.crashKernelE820(
        host: .synthesized(crashRegion: region), region: region, excluded: [AddressRange(start: 0x4fff_c000, size: 0x4000)])
    #expect(e.first == MemoryRange(start: 0, size: 0x9_fc00, type: .ram))
    #expect(e.contains(MemoryRange(start: 0x4000_0000, size: 0xfff_c000, type: .ram)))
    #expect(!e.contains { $0.range.overlaps(AddressRange(start: 0x4fff_c000, size: 0x4000)) })
}

@Test func backupMovesLowMemoryInTheDump() throws {
    let region = AddressRange(start: 0x4000_0000, size: 0x1000_0000)
    let r = try CrashMemoryMap.dumpRanges(host: .synthesized(crashRegion: region), region: region, backup: AddressRange(start: 0x4ff6_0000, size: 0x9_fc00))
    #expect(r.first == .init(paddr: 0, offset: 0x4ff6_0000, size: 0x9_fc00))
    #expect(!r.contains { region.overlaps(AddressRange(start: $0.paddr, size: $0.size)) })
}

@Test func hostJSONRoundTrips() throws {
    let h = HostDescription(
        crashRegion: AddressRange(start: 0x4000_0000, size: 0x1000_0000),
        memoryMap: [MemoryRange(start: 0, size: 0x9_fc00, type: .ram), MemoryRange(range: AddressRange(start: 0xfd_0000_0000, size: 0x3_0000_0000), rawType: 20)],
        cpuNotes: [AddressRange(start: 0x7ffc_d700, size: 0x1f4)], vmcoreInfo: AddressRange(start: 0x7fd7_c540, size: 0x1000),
        xenImage: AddressRange(start: 0x7fa0_0000, size: 0x3a_6140), acpiRsdp: 0xf_59d0)
    let text = PlanJSON.encode(PlanJSON.Host(h))
    #expect(text.contains("\"start\" : \"0x40000000\""))
    #expect(PlanJSON.decodeHost(Array(text.utf8)) == h)
}

/// A region whose end, rounded up to 1 GiB for the synthesized RAM, passes 2^64 is a typed
/// error naming the value, not a host with a shorter map.
@Test func synthesizedHostOverflowNamesTheField() {
    let top = AddressRange(start: 0xFFFF_FFFF_C000_0000, size: 0x1000_0000)
    #expect(throws: PlanError.addressOverflow("synthesized host RAM end (crash region end 0xffffffffd0000000 rounded up to 1 GiB)")) {
        try HostDescription.synthesized(crashRegion: top)
    }
    let wraps = AddressRange(start: 0xFFFF_FFFF_FFFF_F000, size: 0x2000)
    #expect(throws: PlanError.addressOverflow("crash region end (start + size)")) {
        try HostDescription.synthesized(crashRegion: wraps)
    }
}

/// `crashkernel=` advice is a rounded-up size; when rounding `needed` up to 64 MiB overflows,
/// the message says no size can hold the plan instead of suggesting a wrong one.
@Test func tooSmallMessageSaysWhenNoCrashkernelSizeExists() {
    let region = AddressRange(start: 0x4000_0000, size: 0x1000_0000)
    let normal = "\(PlanError.crashRegionTooSmall(region: region, needed: 0x1100_0000, detail: "d"))"
    #expect(normal.hasSuffix("raise Xen's crashkernel= option, e.g. crashkernel=320M@1G"), "\(normal)")
    let huge = "\(PlanError.crashRegionTooSmall(region: region, needed: UInt64.max - 1, detail: "d"))"
    #expect(huge.contains("no crashkernel= size can hold it (the needed size rounded up to 64 MiB overflows 64 bits)"), "\(huge)")
    #expect(!huge.contains("e.g. crashkernel="))
}
