/// The ELF "envelope" of the kexec zboot work (`tools/kexec/build_zboot_envelop.c`, kexec
/// list, PATCHv7 13/13): an ELF64 little-endian file with no program headers whose sections
/// carry the kernel (`.kernel`, the unmodified image, signature included), the initrd
/// (`.initrd`) and a NUL-terminated command line (`.cmdline`), named through `.shstrtab`.
///
/// ELF header (64 bytes): e_ident magic `7f 45 4c 46` at 0, EI_CLASS (4) = 2 (ELFCLASS64),
/// EI_DATA (5) = 1 (little-endian), EI_VERSION (6) = 1; e_machine u16 at 18, e_phoff u64 at
/// 32, e_shoff u64 at 40, e_phnum u16 at 56, e_shentsize u16 at 58 (= 64), e_shnum u16 at 60,
/// e_shstrndx u16 at 62. Section header (64 bytes): sh_name u32 +0, sh_type u32 +4,
/// sh_offset u64 +24, sh_size u64 +32.
///
/// e_machine is recorded, not checked: the builder as posted always writes EM_AARCH64; the
/// kernel inside is checked as a bzImage instead.
public struct ELFEnvelope: Equatable, Sendable {
    public static let kernelSection = ".kernel"
    public static let initrdSection = ".initrd"
    public static let cmdlineSection = ".cmdline"
    /// Size of the ELF64 header and of one ELF64 section header.
    public static let headerSize = 64
    public static let sectionHeaderSize = 64
    /// `SHT_PROGBITS`, `SHT_STRTAB`, `SHT_NOBITS`.
    public static let typeProgbits: UInt32 = 1
    public static let typeStrtab: UInt32 = 3
    public static let typeNobits: UInt32 = 8
    /// Longest section name read from `.shstrtab` (longer ones are an error).
    public static let maximumNameLength = 255

    /// e_machine (62 = EM_X86_64, 183 = EM_AARCH64).
    public let machine: UInt16
    /// The sections, in table order (index 0 is the null section).
    public let sections: [ELFSection]
    /// File range of the `.kernel` payload.
    public let kernelRange: Range<Int>
    /// File range of the `.initrd` payload, or `nil` when absent or empty.
    public let initrdRange: Range<Int>?
    /// The `.cmdline` text without its terminating NUL, or `nil` when absent.
    public let commandLine: String?

    /// True when `bytes` starts with the ELF magic `7f 45 4c 46`.
    public static func hasELFMagic<Bytes: RandomAccessCollection>(
        _ bytes: Bytes
    ) -> Bool where Bytes.Element == UInt8, Bytes.Index == Int {
        (try? ByteReader(bytes).u32(0, "e_ident")) == 0x464C_457F
    }

    /// The first section called `name`.
    public func section(named name: String) -> ELFSection? { sections.first { $0.name == name } }

    /// Parses and checks an envelope held in `bytes` (the whole file).
    public static func parse<Bytes: RandomAccessCollection>(
        _ bytes: Bytes
    ) throws(ELFEnvelopeError) -> ELFEnvelope where Bytes.Element == UInt8, Bytes.Index == Int {
        let r = ByteReader(bytes)
        return try mappingTruncation(ELFEnvelopeError.truncated, field: "e_ident", available: r.count) { try parseChecked(r) }
    }

    private static func parseChecked<Bytes>(_ r: ByteReader<Bytes>) throws -> ELFEnvelope {
        let magic = try r.u32(0, "e_ident")
        guard magic == 0x464C_457F else { throw ELFEnvelopeError.badMagic(found: magic) }
        let elfClass = try r.u8(4, "EI_CLASS")
        guard elfClass == 2 else { throw ELFEnvelopeError.badIdent(field: "EI_CLASS", offset: 4, found: elfClass, expected: 2) }
        let data = try r.u8(5, "EI_DATA")
        guard data == 1 else { throw ELFEnvelopeError.badIdent(field: "EI_DATA", offset: 5, found: data, expected: 1) }
        let version = try r.u8(6, "EI_VERSION")
        guard version == 1 else { throw ELFEnvelopeError.badIdent(field: "EI_VERSION", offset: 6, found: version, expected: 1) }
        guard r.count >= headerSize else {
            throw ELFEnvelopeError.truncated(ByteReaderError(field: "elf_header", offset: 0, length: headerSize, available: r.count))
        }
        let machine = try r.u16(18, "e_machine")
        let phnum = try r.u16(56, "e_phnum")
        guard phnum == 0 else { throw ELFEnvelopeError.programHeadersPresent(count: phnum) }
        let shoff = try r.u64(40, "e_shoff")
        let shentsize = try r.u16(58, "e_shentsize")
        guard Int(shentsize) == sectionHeaderSize else { throw ELFEnvelopeError.badSectionHeaderSize(found: shentsize) }
        let shnum = Int(try r.u16(60, "e_shnum"))
        guard shnum > 0 else { throw ELFEnvelopeError.noSections }
        guard shoff <= UInt64(Int.max), let table = r.checkedRange(offset: Int(shoff), length: shnum * sectionHeaderSize),
              table.lowerBound >= headerSize
        else { throw ELFEnvelopeError.sectionTablePastEnd(shoff: shoff, count: shnum, fileSize: r.count) }
        let shstrndx = Int(try r.u16(62, "e_shstrndx"))
        guard shstrndx > 0, shstrndx < shnum else { throw ELFEnvelopeError.shstrndxOutOfRange(found: shstrndx, count: shnum) }

        // Raw headers first; names need .shstrtab.
        var raw: [(name: UInt32, type: UInt32, offset: UInt64, size: UInt64, at: Int)] = []
        raw.reserveCapacity(shnum)
        for index in 0..<shnum {
            let at = table.lowerBound + index * sectionHeaderSize
            raw.append((try r.u32(at, "sh_name"), try r.u32(at + 4, "sh_type"),
                        try r.u64(at + 24, "sh_offset"), try r.u64(at + 32, "sh_size"), at))
        }
        func fileRange(_ index: Int) throws -> Range<Int> {
            let s = raw[index]
            guard s.type != typeNobits else { return 0..<0 }
            guard s.offset <= UInt64(Int.max), s.size <= UInt64(Int.max),
                  let range = r.checkedRange(offset: Int(s.offset), length: Int(s.size))
            else { throw ELFEnvelopeError.sectionPastEnd(index: index, headerOffset: s.at, offset: s.offset, size: s.size, fileSize: r.count) }
            return range
        }
        let strtab = raw[shstrndx]
        guard strtab.type == typeStrtab else {
            throw ELFEnvelopeError.wrongSectionType(name: ".shstrtab", headerOffset: strtab.at, found: strtab.type, expected: typeStrtab)
        }
        let names = try fileRange(shstrndx)
        var sections: [ELFSection] = []
        sections.reserveCapacity(shnum)
        for index in 0..<shnum {
            let s = raw[index]
            let range = try fileRange(index)
            let name = try sectionName(r, strtab: names, nameOffset: s.name, index: index, headerOffset: s.at)
            sections.append(ELFSection(index: index, name: name, type: s.type, fileRange: range, headerOffset: s.at))
        }
        return try assemble(r, machine: machine, sections: sections, headerTable: table)
    }

    /// Reads the NUL-terminated name at `nameOffset` inside `.shstrtab`.
    private static func sectionName<Bytes>(
        _ r: ByteReader<Bytes>, strtab: Range<Int>, nameOffset: UInt32, index: Int, headerOffset: Int
    ) throws -> String {
        guard Int(nameOffset) < strtab.count else {
            throw ELFEnvelopeError.nameOutOfRange(index: index, headerOffset: headerOffset, nameOffset: nameOffset, tableSize: strtab.count)
        }
        var bytes: [UInt8] = []
        var at = strtab.lowerBound + Int(nameOffset)
        while true {
            // Names are short; the cap keeps a crafted table (65535 headers naming one long
            // string) from costing quadratic time.
            guard at < strtab.upperBound, bytes.count < maximumNameLength else {
                throw ELFEnvelopeError.nameOutOfRange(index: index, headerOffset: headerOffset, nameOffset: nameOffset, tableSize: strtab.count)
            }
            let byte = try r.u8(at, "shstrtab")
            if byte == 0 { break }
            bytes.append(byte)
            at += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Finds `.kernel`, `.initrd`, `.cmdline`, checks their types, overlaps and the command line.
    private static func assemble<Bytes>(
        _ r: ByteReader<Bytes>, machine: UInt16, sections: [ELFSection], headerTable: Range<Int>
    ) throws -> ELFEnvelope {
        func unique(_ name: String) throws -> ELFSection? {
            let found = sections.filter { $0.name == name }
            if found.count > 1 {
                throw ELFEnvelopeError.duplicateSection(name: name, firstHeaderOffset: found[0].headerOffset, secondHeaderOffset: found[1].headerOffset)
            }
            guard let section = found.first else { return nil }
            guard section.type == typeProgbits else {
                throw ELFEnvelopeError.wrongSectionType(name: name, headerOffset: section.headerOffset, found: section.type, expected: typeProgbits)
            }
            return section
        }
        guard let kernel = try unique(kernelSection) else { throw ELFEnvelopeError.missingSection(name: kernelSection) }
        guard !kernel.fileRange.isEmpty else { throw ELFEnvelopeError.emptyKernel(headerOffset: kernel.headerOffset) }
        let initrd = try unique(initrdSection)
        let cmdline = try unique(cmdlineSection)

        // The payloads must not share bytes with each other, the ELF header or the section table.
        var claimed: [(String, Range<Int>, Int)] = [("ELF header", 0..<headerSize, 0), ("section header table", headerTable, 40)]
        for section in [kernel, initrd, cmdline].compactMap({ $0 }) where !section.fileRange.isEmpty {
            for (other, range, _) in claimed where range.overlaps(section.fileRange) {
                throw ELFEnvelopeError.sectionsOverlap(name: section.name, headerOffset: section.headerOffset, other: other)
            }
            claimed.append((section.name, section.fileRange, section.headerOffset))
        }

        var commandLine: String? = nil
        if let cmdline {
            let range = cmdline.fileRange
            guard let last = range.last, try r.u8(last, ".cmdline") == 0 else {
                throw ELFEnvelopeError.commandLineNotTerminated(headerOffset: cmdline.headerOffset, end: range.upperBound)
            }
            let text = try r.slice(range.lowerBound, range.count - 1, field: ".cmdline")
            if let nul = text.firstIndex(of: 0) {
                throw ELFEnvelopeError.commandLineHasNUL(offset: range.lowerBound + nul)
            }
            guard let decoded = String(validating: text, as: UTF8.self) else {
                throw ELFEnvelopeError.commandLineNotUTF8(offset: range.lowerBound)
            }
            commandLine = decoded
        }
        let initrdRange = initrd.map(\.fileRange).flatMap { $0.isEmpty ? nil : $0 }
        return ELFEnvelope(machine: machine, sections: sections, kernelRange: kernel.fileRange,
                           initrdRange: initrdRange, commandLine: commandLine)
    }
}
