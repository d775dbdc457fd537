/// Builds an ELF envelope laid out like `build_zboot_envelop.c` (kexec PATCHv7 13/13):
/// ELF header, section headers (null, .kernel, .initrd, .cmdline, .shstrtab), then the
/// kernel bytes, the initrd and the command line, each following section 8-byte aligned.
struct ELFEnvelopeBuilder {
    struct Section {
        var name: String
        var type: UInt32 = 1
        var data: [UInt8]
        /// Overrides for malformed cases.
        var offset: UInt64? = nil
        var size: UInt64? = nil
        var nameOffset: UInt32? = nil
    }

    var sections: [Section]
    var machine: UInt16 = 62
    var phnum: UInt16 = 0
    var shentsize: UInt16 = 64
    var shstrndx: UInt16? = nil
    var shoff: UInt64? = nil
    var elfClass: UInt8 = 2
    var elfData: UInt8 = 1

    init(kernel: [UInt8]?, initrd: [UInt8]? = [0x30, 0x37, 0x30, 0x37, 0x30, 0x31], cmdline: String? = "console=ttyS0 quiet") {
        var s: [Section] = []
        if let kernel { s.append(Section(name: ".kernel", data: kernel)) }
        if let initrd { s.append(Section(name: ".initrd", data: initrd)) }
        if let cmdline { s.append(Section(name: ".cmdline", data: Array(cmdline.utf8) + [0])) }
        sections = s
    }

    /// Section-header count including the null section and `.shstrtab`.
    var sectionCount: Int { sections.count + 2 }
    /// File offset of section header `index` (0 is the null section).
    static func headerOffset(_ index: Int) -> Int { 64 + 64 * index }

    func bytes() -> [UInt8] {
        var strtab: [UInt8] = [0]
        var nameOffsets: [UInt32] = []
        for s in sections { nameOffsets.append(UInt32(strtab.count)); strtab += Array(s.name.utf8) + [0] }
        let strtabName = UInt32(strtab.count)
        strtab += Array(".shstrtab".utf8) + [0]

        var w = ByteWriter(count: 64 + 64 * sectionCount)
        var offsets: [Int] = []
        for (i, s) in sections.enumerated() {
            if i > 0 { w.align(8) }
            offsets.append(w.append(s.data))
        }
        w.align(8)
        let strtabOffset = w.append(strtab)

        w.put([0x7F, 0x45, 0x4C, 0x46, elfClass, elfData, 1, 0], at: 0)
        w.u16(16, 2)
        w.u16(18, machine)
        w.u32(20, 1)
        w.u64(40, shoff ?? 64)
        w.u16(52, 64)
        w.u16(56, phnum)
        w.u16(58, shentsize)
        w.u16(60, UInt16(sectionCount))
        w.u16(62, shstrndx ?? UInt16(sectionCount - 1))
        for (i, s) in sections.enumerated() {
            let at = Self.headerOffset(i + 1)
            w.u32(at, s.nameOffset ?? nameOffsets[i])
            w.u32(at + 4, s.type)
            w.u64(at + 8, 2)
            w.u64(at + 24, s.offset ?? UInt64(offsets[i]))
            w.u64(at + 32, s.size ?? UInt64(s.data.count))
            w.u64(at + 48, 1)
        }
        let at = Self.headerOffset(sectionCount - 1)
        w.u32(at, strtabName)
        w.u32(at + 4, 3)
        w.u64(at + 24, UInt64(strtabOffset))
        w.u64(at + 32, UInt64(strtab.count))
        w.u64(at + 48, 1)
        return w.bytes
    }
}
