/// The PE/COFF headers of an image: an EFI-stub bzImage (the "PE+/bzImage polyglot"),
/// or a Unified Kernel Image.
///
/// Layout (Microsoft PE format specification; Linux `arch/x86/boot/header.S`):
/// - DOS header: `"MZ"` at 0, `e_lfanew` (u32) at 0x3C = file offset of the PE signature.
/// - `"PE\0\0"` at `e_lfanew`, then the 20-byte COFF file header: Machine (+4),
///   NumberOfSections (+6), SizeOfOptionalHeader (+20), Characteristics (+22).
/// - The optional header at `e_lfanew + 24`: magic 0x20B (PE32+) or 0x10B (PE32), then
///   NumberOfRvaAndSizes and the data directories (entry 4 = the Authenticode certificate
///   table, whose "address" is a file offset, not an RVA).
/// - The section table right after the optional header, 40 bytes per section.
///
/// `parse` checks that every header, every section's raw data and the certificate table
/// lie inside the file, and that no two sections' raw data overlap.
public struct PEImage: Equatable, Sendable {
    /// `"MZ"` read as a little-endian u16 at offset 0.
    public static let dosMagic: UInt16 = 0x5A4D
    /// File offset of `e_lfanew` in the DOS header.
    public static let lfanewOffset = 0x3C
    /// `"PE\0\0"` read as a little-endian u32.
    public static let peSignature: UInt32 = 0x0000_4550
    /// Optional header magic for PE32+ (64-bit images).
    public static let magicPE32Plus: UInt16 = 0x20B
    /// Optional header magic for PE32 (32-bit images).
    public static let magicPE32: UInt16 = 0x10B
    /// COFF machine types seen in x86 kernels.
    public static let machineAMD64: UInt16 = 0x8664
    public static let machineI386: UInt16 = 0x14C
    /// Index of the certificate table in the data directories.
    public static let certificateTableIndex = 4
    /// Size of one section header.
    public static let sectionHeaderSize = 40

    /// `e_lfanew`: file offset of `"PE\0\0"`.
    public let peHeaderOffset: Int
    /// COFF Machine (0x8664 x86-64, 0x14C i386, 0xAA64 arm64, …).
    public let machine: UInt16
    /// COFF Characteristics.
    public let characteristics: UInt16
    /// Optional header magic: 0x20B (PE32+) or 0x10B (PE32).
    public let optionalHeaderMagic: UInt16
    /// AddressOfEntryPoint (an RVA).
    public let addressOfEntryPoint: UInt32
    /// SizeOfImage: bytes the image occupies in memory when loaded as a PE.
    public let sizeOfImage: UInt32
    /// SizeOfHeaders.
    public let sizeOfHeaders: UInt32
    /// Subsystem (10 = EFI application).
    public let subsystem: UInt16
    /// NumberOfRvaAndSizes: how many data directories the header has.
    public let numberOfDataDirectories: UInt32
    /// The sections, in table order.
    public let sections: [PESection]
    /// The Authenticode certificate table, or `nil` when the image is unsigned
    /// (no data directory 4, or one with size 0).
    public let certificateTable: CertificateTable?

    /// The image carries an Authenticode certificate table.
    public var isSigned: Bool { certificateTable != nil }

    /// `"PE32+"` or `"PE32"`.
    public var formatName: String { optionalHeaderMagic == Self.magicPE32Plus ? "PE32+" : "PE32" }

    /// A readable name for `machine`.
    public var machineName: String {
        switch machine {
        case Self.machineAMD64: "x86-64"
        case Self.machineI386: "i386"
        case 0xAA64: "arm64"
        case 0x5064: "riscv64"
        default: hex(machine)
        }
    }

    /// The first section called `name` (`/N` names resolved through the COFF string table).
    public func section(named name: String) -> PESection? {
        sections.first { $0.name == name }
    }

    /// True when the first two bytes are `"MZ"`: the file claims a PE/COFF header.
    public static func hasDOSMagic<Bytes: RandomAccessCollection>(
        _ bytes: Bytes
    ) -> Bool where Bytes.Element == UInt8, Bytes.Index == Int {
        (try? ByteReader(bytes).u16(0, "e_magic")) == dosMagic
    }

    /// Parses the PE/COFF headers of `bytes` (the whole image; offsets are relative to its start).
    public static func parse<Bytes: RandomAccessCollection>(
        _ bytes: Bytes
    ) throws(PEError) -> PEImage where Bytes.Element == UInt8, Bytes.Index == Int {
        let r = ByteReader(bytes)
        return try mappingTruncation(PEError.truncated, field: "pe_header", available: r.count) { try parseHeaders(r) }
    }

    private static func parseHeaders<Bytes>(_ r: ByteReader<Bytes>) throws -> PEImage {
        let size = r.count
        let mz = try r.u16(0, "e_magic")
        guard mz == dosMagic else { throw PEError.badDOSMagic(found: mz) }
        let lfanew = Int(try r.u32(lfanewOffset, "e_lfanew"))
        // PE signature (4) + COFF file header (20) must fit.
        guard r.checkedRange(offset: lfanew, length: 24) != nil else {
            throw PEError.peHeaderPastEnd(eLfanew: lfanew, fileSize: size)
        }
        let signature = try r.u32(lfanew, "pe_signature")
        guard signature == peSignature else { throw PEError.badPESignature(found: signature, offset: lfanew) }
        let machine = try r.u16(lfanew + 4, "Machine")
        let sectionCount = Int(try r.u16(lfanew + 6, "NumberOfSections"))
        let optionalSize = Int(try r.u16(lfanew + 20, "SizeOfOptionalHeader"))
        let characteristics = try r.u16(lfanew + 22, "Characteristics")
        let opt = lfanew + 24

        let magic = try r.u16(opt, "optional_header.Magic")
        let directoriesAt: Int
        switch magic {
        case magicPE32Plus: directoriesAt = 112
        case magicPE32: directoriesAt = 96
        default: throw PEError.badOptionalHeaderMagic(found: magic, offset: opt)
        }
        guard optionalSize >= directoriesAt else {
            throw PEError.optionalHeaderTooSmall(size: optionalSize, minimum: directoriesAt, offset: lfanew + 20)
        }
        guard r.checkedRange(offset: opt, length: optionalSize) != nil else {
            throw PEError.optionalHeaderPastEnd(offset: opt, size: optionalSize, fileSize: size)
        }
        let entry = try r.u32(opt + 16, "AddressOfEntryPoint")
        let sizeOfImage = try r.u32(opt + 56, "SizeOfImage")
        let sizeOfHeaders = try r.u32(opt + 60, "SizeOfHeaders")
        let subsystem = try r.u16(opt + 68, "Subsystem")
        let directoryCountOffset = opt + directoriesAt - 4
        let directoryCount = try r.u32(directoryCountOffset, "NumberOfRvaAndSizes")
        // The directories must fit in SizeOfOptionalHeader (8 bytes each).
        let (directoryBytes, overflow) = Int(directoryCount).multipliedReportingOverflow(by: 8)
        guard !overflow, directoriesAt + directoryBytes <= optionalSize else {
            throw PEError.dataDirectoriesPastOptionalHeader(
                count: directoryCount, optionalHeaderSize: optionalSize, offset: directoryCountOffset)
        }

        let sections = try parseSections(r, tableOffset: opt + optionalSize, count: sectionCount, countOffset: lfanew + 6, coffOffset: lfanew + 4)

        var certificates: CertificateTable? = nil
        if Int(directoryCount) > certificateTableIndex {
            let entryOffset = opt + directoriesAt + 8 * certificateTableIndex
            certificates = try CertificateTable.parse(r, directoryEntryOffset: entryOffset)
        }
        return PEImage(
            peHeaderOffset: lfanew, machine: machine, characteristics: characteristics,
            optionalHeaderMagic: magic, addressOfEntryPoint: entry, sizeOfImage: sizeOfImage,
            sizeOfHeaders: sizeOfHeaders, subsystem: subsystem, numberOfDataDirectories: directoryCount,
            sections: sections, certificateTable: certificates)
    }

    private static func parseSections<Bytes>(
        _ r: ByteReader<Bytes>, tableOffset: Int, count: Int, countOffset: Int, coffOffset: Int
    ) throws -> [PESection] {
        guard r.checkedRange(offset: tableOffset, length: count * sectionHeaderSize) != nil else {
            throw PEError.sectionTablePastEnd(
                offset: tableOffset, count: count, fileSize: r.count, countOffset: countOffset)
        }
        var sections: [PESection] = []
        sections.reserveCapacity(count)
        var strings: COFFStringTable? = nil
        for index in 0..<count {
            let at = tableOffset + index * sectionHeaderSize
            var name = PESection.decodeName(try r.slice(at, 8, field: "section.Name"))
            if let n = try COFFStringTable.longNameOffset(name, headerOffset: at) {
                let table = try strings ?? COFFStringTable.locate(r, coffOffset: coffOffset)
                strings = table
                name = try table.name(at: n, r, header: name, headerOffset: at)
            }
            let section = PESection(
                index: index,
                name: name,
                virtualSize: try r.u32(at + 8, "section.VirtualSize"),
                virtualAddress: try r.u32(at + 12, "section.VirtualAddress"),
                sizeOfRawData: try r.u32(at + 16, "section.SizeOfRawData"),
                pointerToRawData: try r.u32(at + 20, "section.PointerToRawData"),
                characteristics: try r.u32(at + 36, "section.Characteristics"),
                headerOffset: at)
            // Both fields are u32, so their sum cannot overflow Int on a 64-bit host. Even a
            // section without raw data must point inside the file (the spec says 0), so that
            // its (empty) ranges can be used to slice the file.
            let end = Int(section.pointerToRawData) + Int(section.sizeOfRawData)
            if end > r.count {
                throw PEError.sectionPastEnd(
                    name: section.name, headerOffset: at, pointerToRawData: section.pointerToRawData,
                    sizeOfRawData: section.sizeOfRawData, fileSize: r.count)
            }
            sections.append(section)
        }
        // No two sections may share file bytes: sort the non-empty ranges, compare neighbours.
        let placed = sections.filter { $0.sizeOfRawData != 0 }.sorted { $0.pointerToRawData < $1.pointerToRawData }
        if placed.count > 1 {
            for i in 1..<placed.count where placed[i].rawRange.lowerBound < placed[i - 1].rawRange.upperBound {
                throw PEError.sectionsOverlap(
                    first: placed[i - 1].name, firstHeaderOffset: placed[i - 1].headerOffset,
                    second: placed[i].name, secondHeaderOffset: placed[i].headerOffset)
            }
        }
        return sections
    }
}
