import KexecPlan
import Testing

/// The RSDP's contents as the new kernel validates them (Linux
/// `drivers/acpi/acpica/tbxfroot.c`, `acpi_tb_validate_rsdp`), the BIOS-area scan
/// (`acpi_find_root_pointer`), and the planner's refusal of an invalid or overlapping table.
@Suite struct AcpiRsdpTableTests {
    /// An RSDP as firmware writes it: revision 0 (20 bytes) or 2 (36), checksums fixed.
    static func table(revision: UInt8 = 2, oem: String = "BOCHS ", xsdt: UInt64 = 0x7f7e_20e8) -> [UInt8] {
        var b = Array("RSD PTR ".utf8) + [0] + Array(oem.utf8.prefix(6)) + [revision] + [0xe8, 0x10, 0x7e, 0x7f]
        if revision >= 2 {
            b += [36, 0, 0, 0] + (0..<8).map { UInt8(truncatingIfNeeded: xsdt >> (8 * UInt64($0))) } + [0, 0, 0, 0]
        }
        b[8] = 0 &- b[0..<20].reduce(0, &+)
        if revision >= 2 { b[32] = 0 &- b[0..<36].reduce(0, &+) }
        return b
    }

    @Test func validTablesOfBothRevisionsParse() throws {
        let v2 = try AcpiRsdp.parse(Self.table()).get()
        #expect(v2.revision == 2 && v2.extent == 36 && v2.length == 36 && v2.xsdtAddress == 0x7f7e_20e8)
        #expect(v2.oemID == "BOCHS " && v2.rsdtAddress == 0x7f7e_10e8)
        let v1 = try AcpiRsdp.parse(Self.table(revision: 0)).get()
        #expect(v1.revision == 0 && v1.extent == 20 && v1.length == nil && v1.xsdtAddress == nil)
        // Bytes after a revision-0 structure are not part of it (a 36-byte read is fine).
        #expect((try? AcpiRsdp.parse(Self.table(revision: 0) + [UInt8](repeating: 0xAA, count: 16)).get()) == v1)
    }

    @Test func everyDefectIsNamed() {
        var badSignature = Self.table()
        badSignature[3] = UInt8(ascii: "X")
        #expect(AcpiRsdp.parse(badSignature) == .failure(.signature(Array("RSDXPTR ".utf8))))

        var badChecksum = Self.table()
        badChecksum[16] &+= 1   // the RSDT address: only the first checksum notices first
        #expect(AcpiRsdp.parse(badChecksum) == .failure(.checksum(1)))

        var badExtended = Self.table()
        badExtended[24] &+= 2   // the XSDT address, covered only by the extended checksum
        #expect(AcpiRsdp.parse(badExtended) == .failure(.extendedChecksum(2)))
        #expect(AcpiRsdpDefect.extendedChecksum(2).description.contains("extended checksum over bytes 0-35"))

        #expect(AcpiRsdp.parse(Array(Self.table().prefix(19))) == .failure(.short(count: 19, needed: 20)))
        #expect(AcpiRsdp.parse(Array(Self.table().prefix(30))) == .failure(.short(count: 30, needed: 36)))
    }

    /// Memory below 1 MiB with the EBDA segment at 0x40e; `read` as /dev/mem would answer.
    static func lowMemory(ebda: UInt64 = 0x9_fc00, rsdpAt: UInt64?) -> (UInt64, Int) -> [UInt8]? {
        var mem = [UInt8](repeating: 0, count: 0x10_0000)
        mem[0x40E] = UInt8(truncatingIfNeeded: ebda >> 4)
        mem[0x40F] = UInt8(truncatingIfNeeded: ebda >> 12)
        // A lone signature with a wrong checksum, which the scan must pass over.
        mem.replaceSubrange(0xE_0010..<0xE_0018, with: Array("RSD PTR ".utf8))
        if let at = rsdpAt { mem.replaceSubrange(Int(at)..<Int(at) + 36, with: table()) }
        let copy = mem
        return { address, count in
            let start = Int(address)
            return start + count <= copy.count ? Array(copy[start..<(start + count)]) : nil
        }
    }

    @Test func scanFindsTheEBDAFirstThenTheBIOSArea() {
        #expect(AcpiRsdpLegacyScan.find(read: Self.lowMemory(rsdpAt: 0x9_fc40)) == 0x9_fc40)
        #expect(AcpiRsdpLegacyScan.find(read: Self.lowMemory(rsdpAt: 0xF_5A10)) == 0xF_5A10)
        #expect(AcpiRsdpLegacyScan.find(read: Self.lowMemory(rsdpAt: nil)) == nil)
        // Not on a 16-byte boundary: a kernel does not find it, nor does the scan.
        #expect(AcpiRsdpLegacyScan.find(read: Self.lowMemory(rsdpAt: 0xF_5A18)) == nil)
        #expect(AcpiRsdpLegacyScan.find { _, _ in nil } == nil)
    }

    @Test func thePlannerRefusesBytesThatAreNoRsdp() throws {
        var h = try AcpiRsdpPlanTests.host()
        var bytes = Self.table()
        bytes[24] &+= 1
        h.acpiRsdpBytes = bytes
        let expected = PlanError.acpiRsdp(.invalid(address: AcpiRsdpPlanTests.rsdp, source: .efiSystabACPI20, defect: .extendedChecksum(1)))
        #expect(throws: expected) { try AcpiRsdpPlanTests.plan(.crash, host: h) }
        #expect(expected.description.contains("--acpi-rsdp"))
        h.acpiRsdpBytes = Self.table()
        #expect(throws: Never.self) { try AcpiRsdpPlanTests.plan(.crash, host: h) }
    }

    /// An ACPI 2.0 RSDP is 36 bytes: 20 bytes before a RAM range is room for an ACPI 1.0
    /// pointer only.
    @Test func theWholeACPI2StructureMustLieOutsideRAM() throws {
        var h = try AcpiRsdpPlanTests.host()
        let acpi = try #require(h.memoryMap.first { $0.type == E820Type.acpi.rawValue })
        let end = acpi.range.start + acpi.range.size
        h.memoryMap.append(MemoryRange(start: end, size: 0x10_0000, type: .ram))
        h.memoryMap.sort { $0.range < $1.range }
        h.acpiRsdp = end - 20
        h.acpiRsdpBytes = Self.table(revision: 0)
        #expect(throws: Never.self) { try AcpiRsdpPlanTests.plan(.crash, host: h) }
        h.acpiRsdpBytes = Self.table()
        #expect(throws: PlanError.self) { try AcpiRsdpPlanTests.plan(.crash, host: h) }
    }

    @Test func hostJSONKeepsTheBytes() throws {
        var h = try AcpiRsdpPlanTests.host()
        h.acpiRsdpBytes = Self.table()
        let back = PlanJSON.Host(h).hostDescription
        #expect(back?.acpiRsdpBytes == Self.table())
        #expect(back == h)
    }
}
