/// Why a file is not a usable ELF envelope. Each case names the field, its byte offset
/// and what was expected.
public enum ELFEnvelopeError: Error, Equatable, Sendable {
    /// A header field lies past the end of the file.
    case truncated(ByteReaderError)
    /// e_ident[0..4] is not `7f 45 4c 46`.
    case badMagic(found: UInt32)
    /// EI_CLASS, EI_DATA or EI_VERSION is not 2, 1, 1 (ELF64, little-endian, version 1).
    case badIdent(field: String, offset: Int, found: UInt8, expected: UInt8)
    /// e_phnum (56) is not 0: an envelope has no program headers (a vmlinux or other ELF?).
    case programHeadersPresent(count: UInt16)
    /// e_shentsize (58) is not 64.
    case badSectionHeaderSize(found: UInt16)
    /// e_shnum (60) is 0.
    case noSections
    /// The section header table (e_shoff at 40, e_shnum × 64 bytes) is not inside the file after the ELF header.
    case sectionTablePastEnd(shoff: UInt64, count: Int, fileSize: Int)
    /// e_shstrndx (62) is 0 or not below e_shnum.
    case shstrndxOutOfRange(found: Int, count: Int)
    /// A section's data (sh_offset + sh_size) is not inside the file.
    case sectionPastEnd(index: Int, headerOffset: Int, offset: UInt64, size: UInt64, fileSize: Int)
    /// A section's sh_name is not a NUL-terminated string inside `.shstrtab`.
    case nameOutOfRange(index: Int, headerOffset: Int, nameOffset: UInt32, tableSize: Int)
    /// A section has the wrong sh_type (`.shstrtab` must be SHT_STRTAB, payloads SHT_PROGBITS).
    case wrongSectionType(name: String, headerOffset: Int, found: UInt32, expected: UInt32)
    /// A required section (`.kernel`) is missing.
    case missingSection(name: String)
    /// A section this loader reads appears more than once.
    case duplicateSection(name: String, firstHeaderOffset: Int, secondHeaderOffset: Int)
    /// `.kernel` has sh_size 0.
    case emptyKernel(headerOffset: Int)
    /// A payload section shares bytes with another payload, the ELF header or the section table.
    case sectionsOverlap(name: String, headerOffset: Int, other: String)
    /// `.cmdline` is empty or its last byte is not NUL.
    case commandLineNotTerminated(headerOffset: Int, end: Int)
    /// `.cmdline` has a NUL before its terminating one.
    case commandLineHasNUL(offset: Int)
    /// `.cmdline` is not valid UTF-8.
    case commandLineNotUTF8(offset: Int)

    /// The offending field's name.
    public var field: String {
        switch self {
        case .truncated(let e): e.field
        case .badMagic: "e_ident"
        case .badIdent(let field, _, _, _): field
        case .programHeadersPresent: "e_phnum"
        case .badSectionHeaderSize: "e_shentsize"
        case .noSections: "e_shnum"
        case .sectionTablePastEnd: "e_shoff"
        case .shstrndxOutOfRange: "e_shstrndx"
        case .sectionPastEnd: "sh_size"
        case .nameOutOfRange: "sh_name"
        case .wrongSectionType: "sh_type"
        case .missingSection(let name), .duplicateSection(let name, _, _): name
        case .emptyKernel: "sh_size"
        case .sectionsOverlap: "sh_offset"
        case .commandLineNotTerminated, .commandLineHasNUL, .commandLineNotUTF8: ".cmdline"
        }
    }

    /// Byte offset of the offending field in the file.
    public var offset: Int {
        switch self {
        case .truncated(let e): e.offset
        case .badMagic: 0
        case .badIdent(_, let offset, _, _): offset
        case .programHeadersPresent: 56
        case .badSectionHeaderSize: 58
        case .noSections: 60
        case .sectionTablePastEnd: 40
        case .shstrndxOutOfRange: 62
        case .sectionPastEnd(_, let at, _, _, _): at + 32
        case .nameOutOfRange(_, let at, _, _): at
        case .wrongSectionType(_, let at, _, _): at + 4
        case .missingSection: 60
        case .duplicateSection(_, _, let second): second
        case .emptyKernel(let at): at + 32
        case .sectionsOverlap(_, let at, _): at + 24
        case .commandLineNotTerminated(_, let end): max(end - 1, 0)
        case .commandLineHasNUL(let offset), .commandLineNotUTF8(let offset): offset
        }
    }
}

extension ELFEnvelopeError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let e):
            "ELF envelope: \(e)"
        case .badMagic(let found):
            "e_ident at 0x0 is \(hex(found)), expected 0x464c457f (\"\\x7fELF\")"
        case .badIdent(let field, let offset, let found, let expected):
            "\(field) at \(hex(offset)) is \(found), expected \(expected) (an envelope is ELF64, little-endian, version 1)"
        case .programHeadersPresent(let count):
            "e_phnum at 0x38 is \(count), expected 0: an ELF envelope has no program headers (is this a vmlinux?)"
        case .badSectionHeaderSize(let found):
            "e_shentsize at 0x3a is \(found), expected 64"
        case .noSections:
            "e_shnum at 0x3c is 0, expected the .kernel, .initrd, .cmdline and .shstrtab sections"
        case .sectionTablePastEnd(let shoff, let count, let size):
            "e_shoff at 0x28 is \(hex(shoff)): the section header table (\(count) × 64 bytes) must lie after the ELF header and inside the \(size)-byte file"
        case .shstrndxOutOfRange(let found, let count):
            "e_shstrndx at 0x3e is \(found), expected a section index between 1 and \(count - 1)"
        case .sectionPastEnd(let index, let at, let offset, let size, let fileSize):
            "section \(index) (header at \(hex(at))): sh_offset \(hex(offset)) + sh_size \(hex(size)) at \(hex(at + 32)), expected to end within the \(fileSize)-byte file"
        case .nameOutOfRange(let index, let at, let nameOffset, let tableSize):
            "section \(index) (header at \(hex(at))): sh_name is \(nameOffset), expected a NUL-terminated name of at most \(ELFEnvelope.maximumNameLength) bytes inside the \(tableSize)-byte .shstrtab"
        case .wrongSectionType(let name, let at, let found, let expected):
            "section \(name): sh_type at \(hex(at + 4)) is \(found), expected \(expected)"
        case .missingSection(let name):
            "ELF envelope has no \(name) section (section table from e_shnum at 0x3c), expected one"
        case .duplicateSection(let name, let first, let second):
            "section \(name) appears twice (headers at \(hex(first)) and \(hex(second))), expected once"
        case .emptyKernel(let at):
            "section .kernel: sh_size at \(hex(at + 32)) is 0, expected the kernel image"
        case .sectionsOverlap(let name, let at, let other):
            "section \(name): sh_offset at \(hex(at + 24)) makes its data overlap the \(other), expected disjoint data"
        case .commandLineNotTerminated(let at, let end):
            "section .cmdline (header at \(hex(at))) ends at \(hex(end)) without a NUL, expected a NUL-terminated string"
        case .commandLineHasNUL(let offset):
            ".cmdline has a NUL at \(hex(offset)) before its end, expected one terminating NUL"
        case .commandLineNotUTF8(let offset):
            ".cmdline at \(hex(offset)) is not valid UTF-8"
        }
    }
}
