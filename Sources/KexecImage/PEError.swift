/// Why the PE/COFF headers of an image cannot be read. Each case names the field, its
/// byte offset (relative to the start of the PE image) and what was expected.
public enum PEError: Error, Equatable, Sendable {
    /// A header field lies past the end of the image.
    case truncated(ByteReaderError)
    /// `e_magic` at 0 is not `"MZ"` (0x5A4D).
    case badDOSMagic(found: UInt16)
    /// `e_lfanew` (0x3C) points past the end: the PE signature and COFF header (24 bytes) must fit.
    case peHeaderPastEnd(eLfanew: Int, fileSize: Int)
    /// The u32 at `e_lfanew` is not `"PE\0\0"` (0x00004550).
    case badPESignature(found: UInt32, offset: Int)
    /// The optional header magic is neither 0x20B (PE32+) nor 0x10B (PE32).
    case badOptionalHeaderMagic(found: UInt16, offset: Int)
    /// SizeOfOptionalHeader is smaller than the fixed fields before the data directories.
    case optionalHeaderTooSmall(size: Int, minimum: Int, offset: Int)
    /// The optional header (SizeOfOptionalHeader bytes) does not fit in the image.
    case optionalHeaderPastEnd(offset: Int, size: Int, fileSize: Int)
    /// NumberOfRvaAndSizes declares more data directories than SizeOfOptionalHeader holds.
    case dataDirectoriesPastOptionalHeader(count: UInt32, optionalHeaderSize: Int, offset: Int)
    /// The section table (NumberOfSections × 40 bytes) does not fit in the image.
    case sectionTablePastEnd(offset: Int, count: Int, fileSize: Int, countOffset: Int)
    /// A section's raw data (PointerToRawData + SizeOfRawData) ends past the image.
    case sectionPastEnd(name: String, headerOffset: Int, pointerToRawData: UInt32, sizeOfRawData: UInt32, fileSize: Int)
    /// Two sections' raw data share bytes.
    case sectionsOverlap(first: String, firstHeaderOffset: Int, second: String, secondHeaderOffset: Int)
    /// A section Name is `/N` but N is not a decimal offset (`//` base-64 offsets are not supported).
    case badLongName(name: String, headerOffset: Int)
    /// A section Name is `/N` but PointerToSymbolTable is 0: there is no string table.
    case noStringTable(pointerOffset: Int)
    /// The COFF string table (its u32 size, or the size it declares) lies past the end of the image.
    case stringTablePastEnd(offset: Int, size: UInt32?, fileSize: Int, pointerOffset: Int)
    /// A `/N` name's offset is outside the string table, or its name has no NUL before the table's end.
    case longNameOutsideStringTable(name: String, headerOffset: Int, tableOffset: Int, tableSize: Int)
    /// A `/N` name resolves to 8 bytes or fewer, which belong in the header itself.
    case longNameNotLong(name: String, resolved: String, headerOffset: Int)
    /// The certificate table (data directory 4) is smaller than one WIN_CERTIFICATE or lies past the end.
    case certificateTablePastEnd(offset: Int, size: Int, fileSize: Int, directoryOffset: Int)
    /// A WIN_CERTIFICATE's dwLength is below 8 or runs past the certificate table.
    case badCertificateLength(length: UInt32, offset: Int, available: Int)

    /// The offending field's name.
    public var field: String {
        switch self {
        case .truncated(let e): e.field
        case .badDOSMagic: "e_magic"
        case .peHeaderPastEnd: "e_lfanew"
        case .badPESignature: "pe_signature"
        case .badOptionalHeaderMagic: "optional_header.Magic"
        case .optionalHeaderTooSmall, .optionalHeaderPastEnd: "SizeOfOptionalHeader"
        case .dataDirectoriesPastOptionalHeader: "NumberOfRvaAndSizes"
        case .sectionTablePastEnd: "NumberOfSections"
        case .sectionPastEnd: "section.SizeOfRawData"
        case .sectionsOverlap: "section.PointerToRawData"
        case .certificateTablePastEnd: "CertificateTable"
        case .badCertificateLength: "WIN_CERTIFICATE.dwLength"
        case .badLongName, .longNameOutsideStringTable, .longNameNotLong: "section.Name"
        case .noStringTable, .stringTablePastEnd: "PointerToSymbolTable"
        }
    }

    /// Byte offset of the offending field, relative to the start of the PE image.
    public var offset: Int {
        switch self {
        case .truncated(let e): e.offset
        case .badDOSMagic: 0
        case .peHeaderPastEnd: PEImage.lfanewOffset
        case .badPESignature(_, let offset): offset
        case .badOptionalHeaderMagic(_, let offset): offset
        case .optionalHeaderTooSmall(_, _, let offset): offset
        case .optionalHeaderPastEnd(let offset, _, _): offset - 4
        case .dataDirectoriesPastOptionalHeader(_, _, let offset): offset
        case .sectionTablePastEnd(_, _, _, let countOffset): countOffset
        case .sectionPastEnd(_, let headerOffset, _, _, _): headerOffset + 16
        case .sectionsOverlap(_, _, _, let second): second + 20
        case .certificateTablePastEnd(_, _, _, let directoryOffset): directoryOffset
        case .badCertificateLength(_, let offset, _): offset
        case .badLongName(_, let headerOffset): headerOffset
        case .noStringTable(let pointerOffset): pointerOffset
        case .stringTablePastEnd(_, _, _, let pointerOffset): pointerOffset
        case .longNameOutsideStringTable(_, let headerOffset, _, _): headerOffset
        case .longNameNotLong(_, _, let headerOffset): headerOffset
        }
    }
}

extension PEError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let e):
            "\(e)"
        case .badDOSMagic(let found):
            "e_magic at 0x0 is \(hex(found)), expected 0x5a4d (\"MZ\")"
        case .peHeaderPastEnd(let lfanew, let size):
            "e_lfanew at 0x3c is \(hex(lfanew)): the PE signature and COFF header (24 bytes) there end past the \(size)-byte image"
        case .badPESignature(let found, let offset):
            "pe_signature at \(hex(offset)) (e_lfanew) is \(hex(found)), expected 0x4550 (\"PE\\0\\0\")"
        case .badOptionalHeaderMagic(let found, let offset):
            "optional_header.Magic at \(hex(offset)) is \(hex(found)), expected 0x20b (PE32+) or 0x10b (PE32)"
        case .optionalHeaderTooSmall(let size, let minimum, let offset):
            "SizeOfOptionalHeader at \(hex(offset)) is \(size), expected at least \(minimum) for this optional header magic"
        case .optionalHeaderPastEnd(let offset, let size, let fileSize):
            "SizeOfOptionalHeader at \(hex(offset - 4)) is \(size): the optional header at \(hex(offset)) ends past the \(fileSize)-byte image"
        case .dataDirectoriesPastOptionalHeader(let count, let optSize, let offset):
            "NumberOfRvaAndSizes at \(hex(offset)) is \(count): expected the data directories (8 bytes each) to fit in SizeOfOptionalHeader (\(optSize) bytes)"
        case .sectionTablePastEnd(let offset, let count, let size, let countOffset):
            "NumberOfSections at \(hex(countOffset)) is \(count): the section table at \(hex(offset)) (\(count) × 40 bytes) ends past the \(size)-byte image"
        case .sectionPastEnd(let name, let headerOffset, let pointer, let rawSize, let size):
            "section \"\(name)\" (header at \(hex(headerOffset))): SizeOfRawData at \(hex(headerOffset + 16)) is \(hex(rawSize)) from PointerToRawData \(hex(pointer)), expected the raw data to end within the \(size)-byte image"
        case .sectionsOverlap(let first, let firstHeader, let second, let secondHeader):
            "section \"\(second)\" (PointerToRawData at \(hex(secondHeader + 20))) overlaps section \"\(first)\" (header at \(hex(firstHeader))); expected disjoint raw data"
        case .certificateTablePastEnd(let offset, let size, let fileSize, let dir):
            "CertificateTable (data directory 4 at \(hex(dir))) is offset \(hex(offset)) size \(hex(size)): expected at least one 8-byte WIN_CERTIFICATE inside the \(fileSize)-byte image"
        case .badCertificateLength(let length, let offset, let available):
            "WIN_CERTIFICATE.dwLength at \(hex(offset)) is \(length), expected between 8 and the \(available) bytes left in the certificate table"
        case .badLongName(let name, let headerOffset):
            "section.Name at \(hex(headerOffset)) is \"\(name)\": expected /N with N the decimal offset of a longer name in the COFF string table"
        case .noStringTable(let pointerOffset):
            "a section.Name is /N but PointerToSymbolTable at \(hex(pointerOffset)) is 0: expected a COFF string table holding the long section names"
        case .stringTablePastEnd(let offset, let size, let fileSize, let pointerOffset):
            "the COFF string table at \(hex(offset)) (PointerToSymbolTable at \(hex(pointerOffset)) + NumberOfSymbols × 18) \(size.map { "declares \($0) bytes" } ?? "starts past the end"): expected a size of at least 4 bytes within the \(fileSize)-byte image"
        case .longNameOutsideStringTable(let name, let headerOffset, let tableOffset, let tableSize):
            "section.Name at \(hex(headerOffset)) is \"\(name)\": expected a NUL-terminated name inside the \(tableSize)-byte COFF string table at \(hex(tableOffset))"
        case .longNameNotLong(let name, let resolved, let headerOffset):
            "section.Name at \(hex(headerOffset)) is \"\(name)\", resolving to \"\(resolved)\" (8 bytes or fewer): expected such a name in the header itself, where EFI loaders compare it"
        }
    }
}
