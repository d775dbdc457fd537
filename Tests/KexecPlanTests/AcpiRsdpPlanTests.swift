import KexecPlan
import Testing

/// The ACPI RSDP in every plan: boot_params `acpi_rsdp_addr` (0x070) for types 0, 1 and 3,
/// `acpi_rsdp=` on the command line for the crash types, and the host checks.
@Suite struct AcpiRsdpPlanTests {
    static let region = AddressRange(start: 0x4000_0000, size: 0x1000_0000)
    /// An OVMF-like RSDP in a reserved range of the synthesized map's gap above RAM.
    static let rsdp: UInt64 = 0x7f77_d014

    /// Synthesized host whose map has an ACPI range holding `rsdp` (RAM ends at 1 GiB rounded up).
    static func host(rsdp: UInt64? = AcpiRsdpPlanTests.rsdp, firmware: HostFirmware = .uefi) throws -> HostDescription {
        var h = try HostDescription.synthesized(crashRegion: region)
        h.memoryMap = h.memoryMap.filter { !$0.isRAM || $0.range.start < 0x10_0000 } + [
            MemoryRange(start: 0x10_0000, size: 0x7f60_0000, type: .ram),
            MemoryRange(start: 0x7f80_0000 - 0x10_0000, size: 0x10_0000, type: .acpi),
        ]
        h.memoryMap.sort { $0.range < $1.range }
        h.acpiRsdp = rsdp
        h.acpiRsdpSource = rsdp == nil ? nil : .efiSystabACPI20
        h.firmware = firmware
        return h
    }

    static func plan(_ type: LoadType, host: HostDescription, append: String? = nil) throws(PlanError) -> KexecLoadRequest {
        try Planner.plan(
            image: SyntheticKernel().bytes(), initrd: nil, host: host,
            request: PlanRequest(type: type, commandLine: CommandLineRequest(replacement: "console=ttyS0", append: append)))
    }

    static func bootParams(_ plan: KexecLoadRequest) throws -> [UInt8] {
        let seg = try #require(plan.segments.first { $0.role == .bootParams })
        guard case .generated(let bytes) = seg.source else { Issue.record("boot_params not generated"); return [] }
        return bytes
    }

    @Test(arguments: [LoadType.default, .crash, .crashEFI])
    func bootParamsCarryTheRsdpAt0x70(_ type: LoadType) throws {
        let plan = try Self.plan(type, host: Self.host())
        let params = try Self.bootParams(plan)
        #expect(le(params, 0x70, UInt64.self) == Self.rsdp)
        let words = KernelCommandLineWords.split(plan.commandLine)
        if type.isCrash {
            #expect(words.last == "acpi_rsdp=0x7f77d014")
            #expect(words.filter { $0.hasPrefix("acpi_rsdp=") }.count == 1)
        } else {
            #expect(!plan.commandLine.contains("acpi_rsdp="))
        }
        // The command line in the segment (at +4096) is the plan's.
        #expect(Array(params[4096..<(4096 + plan.commandLine.utf8.count)]) == Array(plan.commandLine.utf8))
    }

    @Test(arguments: [LoadType.default, .crash, .crashEFI])
    func unknownRsdpOnBIOSLeavesTheFieldZeroAndTheLineAlone(_ type: LoadType) throws {
        let plan = try Self.plan(type, host: Self.host(rsdp: nil, firmware: .bios))
        #expect(le(try Self.bootParams(plan), 0x70, UInt64.self) == 0)
        #expect(!plan.commandLine.contains("acpi_rsdp="))
    }

    @Test func theUsersAcpiRsdpIsReplacedByTheHosts() throws {
        let plan = try Self.plan(.crash, host: Self.host(), append: "acpi_rsdp=0x1234 quiet")
        #expect(KernelCommandLineWords.split(plan.commandLine).filter { $0.hasPrefix("acpi_rsdp=") } == ["acpi_rsdp=0x7f77d014"])
        #expect(plan.commandLine.contains("quiet"))
    }

    @Test(arguments: [LoadType.default, .crash, .crashEFI])
    func uefiWithoutRsdpIsRefused(_ type: LoadType) {
        #expect(throws: PlanError.acpiRsdp(.missingOnUEFI)) { try Self.plan(type, host: Self.host(rsdp: nil, firmware: .uefi)) }
        let text = PlanError.acpiRsdp(.missingOnUEFI).description
        #expect(text.contains("--acpi-rsdp") && text.contains("XEN_KEXEC_ACPI_RSDP") && text.contains("boot_params") && text.contains("systab"))
    }

    @Test func unknownFirmwareWithoutRsdpGoesOn() throws {
        _ = try Self.plan(.crash, host: Self.host(rsdp: nil, firmware: .unknown))
    }

    @Test func rsdpInRAMIsRefusedNamingAddressSourceAndRange() throws {
        let h = try Self.host(rsdp: 0x5000_0000)
        let ram = h.memoryMap.first { $0.isRAM && $0.range.start == 0x10_0000 }!
        #expect(throws: PlanError.acpiRsdp(.inRAM(address: 0x5000_0000, source: .efiSystabACPI20, range: ram))) { try Self.plan(.crash, host: h) }
        let text = AcpiRsdpProblem.inRAM(address: 0x5000_0000, source: .efiSystabACPI20, range: ram).description
        #expect(text.contains("0x50000000") && text.contains("ACPI20=") && text.contains("0x100000-0x7f6fffff ram"))
    }

    @Test func rsdpStraddlingIntoRAMIsRefused() throws {
        // The last 10 bytes of the ACPI range: 20 bytes would reach into the next range.
        var h = try Self.host(rsdp: 0x7f7f_fff6)
        h.memoryMap.append(MemoryRange(start: 0x7f80_0000, size: 0x1000, type: .ram))
        #expect(AcpiRsdpCheck.problem(h) != nil)
    }

    @Test func rsdpOutsideTheMapIsRefused() throws {
        let h = try Self.host(rsdp: 0xfe00_0000)
        #expect(AcpiRsdpCheck.problem(h) == .outsideMemoryMap(address: 0xfe00_0000, source: .efiSystabACPI20))
    }

    @Test func legacyBIOSAreaRsdpIsAccepted() throws {
        let h = try Self.host(rsdp: 0xf_59d0, firmware: .bios)
        #expect(AcpiRsdpCheck.problem(h) == nil)
    }

    /// CrashLayout sizes boot_params from the longest command line, acpi_rsdp= included: a
    /// line that fits without it but not with it is refused, never truncated.
    @Test func commandLineBudgetCountsAcpiRsdp() throws {
        var k = SyntheticKernel()
        k.cmdlineSize = 60
        let base = "console=ttyS0"  // + " elfcorehdr=0x4fffc000" (22) = 35; + " acpi_rsdp=0x7f77d014" (21) = 56
        let fits = try Planner.plan(
            image: k.bytes(), initrd: nil, host: Self.host(),
            request: PlanRequest(type: .crash, commandLine: CommandLineRequest(replacement: base)))
        #expect(fits.commandLine.utf8.count <= 60)
        #expect(fits.commandLine.hasSuffix(" acpi_rsdp=0x7f77d014"))
        let host = try Self.host()
        #expect(throws: PlanError.self) {
            try Planner.plan(
                image: k.bytes(), initrd: nil, host: host,
                request: PlanRequest(type: .crash, commandLine: CommandLineRequest(replacement: base + " quiet")))
        }
        // Without the RSDP the longer line fits.
        _ = try Planner.plan(
            image: k.bytes(), initrd: nil, host: Self.host(rsdp: nil, firmware: .bios),
            request: PlanRequest(type: .crash, commandLine: CommandLineRequest(replacement: base + " quiet")))
    }

    @Test func hostJSONCarriesFirmwareAndSource() throws {
        let h = try Self.host()
        let text = PlanJSON.encode(PlanJSON.Host(h))
        #expect(text.contains("\"firmware\" : \"uefi\""))
        #expect(text.contains("\"acpiRsdpSource\" : \"efi_systab_acpi20\""))
        #expect(text.contains("\"acpiRsdp\" : \"0x7f77d014\""))
        #expect(PlanJSON.decodeHost(Array(text.utf8)) == h)
    }

    @Test func olderHostJSONParsesAsUnknownFirmware() throws {
        let old = #"{"schemaVersion":1,"crashRegion":{"start":"0x40000000","size":268435456},"memoryMap":[{"start":"0x0","size":654336,"type":1}],"cpuNotes":[]}"#
        let h = try #require(PlanJSON.decodeHost(Array(old.utf8)))
        #expect(h.firmware == .unknown)
        #expect(h.acpiRsdp == nil && h.acpiRsdpSource == nil)
        let bad = #"{"schemaVersion":1,"memoryMap":[],"cpuNotes":[],"firmware":"coreboot"}"#
        #expect(PlanJSON.decodeHost(Array(bad.utf8)) == nil)
    }

    @Test func synthesizedHostTypesTheRsdpPageACPI() throws {
        let h = try HostDescription.synthesized(crashRegion: Self.region, acpiRsdp: Self.rsdp, acpiRsdpSource: .option, firmware: .uefi)
        #expect(h.memoryMap.contains(MemoryRange(start: 0x7f77_d000, size: 0x1000, type: .acpi)))
        #expect(!h.memoryMap.contains { $0.isRAM && $0.range.overlaps(AddressRange(start: 0x7f77_d000, size: 0x1000)) })
        #expect(AcpiRsdpCheck.problem(h) == nil)
        let plan = try Self.plan(.crashEFI, host: h)
        #expect(plan.commandLine.hasSuffix("acpi_rsdp=0x7f77d014"))
        // In the BIOS area, nothing is carved.
        let bios = try HostDescription.synthesized(crashRegion: Self.region, acpiRsdp: 0xf_59d0)
        #expect(try bios.memoryMap == HostDescription.synthesized(crashRegion: Self.region).memoryMap)
    }
}
