import Testing
@testable import KexecPlan

/// dom0's VMCOREINFO note in the crash ELF core header (``HostDescription/dom0VmcoreInfo``).
@Suite struct Dom0VmcoreInfoNoteTests {
    static let cpu = AddressRange(start: 0x7ffc_d700, size: 0x1f4)
    static let xen = AddressRange(start: 0x7fd7_c540, size: 0x1000)
    static let dom0 = AddressRange(start: 0x1_00c6_6000, size: 0x1000)

    func host(dom0: AddressRange?) throws -> HostDescription {
        var h = try HostDescription.synthesized(crashRegion: AddressRange(start: 0x4000_0000, size: 0x1000_0000))
        h.cpuNotes = [Self.cpu]
        h.vmcoreInfo = Self.xen
        h.dom0VmcoreInfo = dom0
        return h
    }

    @Test func notesAreCPUThenXenThenDom0() throws {
        #expect(ElfCoreHeader.notes(of: try host(dom0: Self.dom0)) == [Self.cpu, Self.xen, Self.dom0])
        #expect(ElfCoreHeader.notes(of: try host(dom0: nil)) == [Self.cpu, Self.xen])
    }

    /// The header bytes: the third PT_NOTE is dom0's, p_offset = p_paddr = its machine address.
    @Test func headerBytesCarryDom0sNote() {
        let b = ElfCoreHeader.build(
            notes: [Self.cpu, Self.xen, Self.dom0], loads: [.init(paddr: 0x10_0000, offset: 0x10_0000, size: 0x3ff0_0000)])
        #expect(b.count == 64 + 4 * 56)
        #expect(le(b, 56, UInt16.self) == 4)  // e_phnum
        let p = 64 + 2 * 56
        #expect(le(b, p, UInt32.self) == 4)  // PT_NOTE
        #expect(le(b, p + 4, UInt32.self) == 0)  // p_flags
        #expect(le(b, p + 8, UInt64.self) == 0x1_00c6_6000)  // p_offset
        #expect(le(b, p + 16, UInt64.self) == 0)  // p_vaddr
        #expect(le(b, p + 24, UInt64.self) == 0x1_00c6_6000)  // p_paddr
        #expect(le(b, p + 32, UInt64.self) == 0x1000)  // p_filesz
        #expect(le(b, p + 40, UInt64.self) == 0x1000)  // p_memsz
        #expect(le(b, p + 56, UInt32.self) == 1)  // then the PT_LOADs
    }

    /// Through the planner: the crash plan's ELF core header segment lists dom0's note, and
    /// without it the header is one program header shorter — the rest of the plan unchanged in kind.
    @Test(arguments: [LoadType.crash, .crashEFI]) func planHeaderHasTheNote(type: LoadType) throws {
        let k = SyntheticKernel().bytes()
        func header(_ h: HostDescription) throws -> [UInt8] {
            let plan = try Planner.plan(image: k, initrd: nil, host: h, request: PlanRequest(type: type))
            let seg = try #require(plan.segments.first { $0.role == .elfCoreHeader })
            guard case .generated(let bytes) = seg.source else { Issue.record("ELF core header not generated"); return [] }
            return bytes
        }
        let with = try header(try host(dom0: Self.dom0))
        let without = try header(try host(dom0: nil))
        let phnum = Int(le(with, 56, UInt16.self))
        #expect(phnum == Int(le(without, 56, UInt16.self)) + 1)
        let notes = (0..<phnum).map { 64 + $0 * 56 }.filter { le(with, $0, UInt32.self) == 4 }
        #expect(notes.map { le(with, $0 + 8, UInt64.self) } == [Self.cpu.start, Self.xen.start, Self.dom0.start])
    }

    @Test func hostJSONCarriesTheNote() throws {
        let h = try host(dom0: Self.dom0)
        let text = PlanJSON.encode(PlanJSON.Host(h))
        #expect(text.contains("\"dom0VmcoreInfo\""))
        #expect(PlanJSON.decodeHost(Array(text.utf8)) == h)
        #expect(!PlanJSON.encode(PlanJSON.Host(try host(dom0: nil))).contains("dom0VmcoreInfo"))
    }

    @Test func addressWidthCoversTheNote() throws {
        var h = try host(dom0: AddressRange(start: 0x40_0000_0000_0000, size: 0x1000))
        h.physicalAddressBits = 46
        #expect(throws: PlanError.addressBeyondPhysicalWidth(what: "dom0 VMCOREINFO note", range: AddressRange(start: 0x40_0000_0000_0000, size: 0x1000), bits: 46)) {
            try h.checkAddressWidth()
        }
    }
}
