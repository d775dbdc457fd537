/// The COFF string table, where PE section names longer than eight bytes live.
///
/// A section header's 8-byte Name holds either the name itself (NUL-padded) or `/N`, N the
/// decimal offset of a NUL-terminated name in the string table (Microsoft PE format
/// specification, "Section Table" and "COFF String Table"; binutils' objcopy writes such
/// names for sections like `.initrd-extra`). The table starts right after the COFF symbol
/// table, at PointerToSymbolTable (COFF header +8) + NumberOfSymbols (+12) × 18, with its
/// size in bytes (itself included) as the first u32. systemd-stub compares only the 8 header
/// bytes, so a UKI section it reads never has a `/N` name; resolving them names every section
/// truthfully, and a `/N` that resolves to eight bytes or fewer is refused as malformed.
struct COFFStringTable {
    /// Size of one COFF symbol record.
    static let symbolSize = 18
    /// File range of the whole table, its 4-byte size field included.
    let range: Range<Int>

    /// Locates the table from the COFF header at `coffOffset` (= e_lfanew + 4).
    static func locate<Bytes>(_ r: ByteReader<Bytes>, coffOffset: Int) throws -> COFFStringTable {
        let pointerOffset = coffOffset + 8
        let pointer = try r.u32(pointerOffset, "PointerToSymbolTable")
        let symbols = try r.u32(coffOffset + 12, "NumberOfSymbols")
        // u32 + u32 × 18 fits in Int on a 64-bit host; the reads below are bounds-checked.
        let start = Int(pointer) + Int(symbols) * symbolSize
        guard pointer != 0 else { throw PEError.noStringTable(pointerOffset: pointerOffset) }
        guard r.checkedRange(offset: start, length: 4) != nil else {
            throw PEError.stringTablePastEnd(offset: start, size: nil, fileSize: r.count, pointerOffset: pointerOffset)
        }
        let size = try r.u32(start, "string_table.Size")
        guard size >= 4, let range = r.checkedRange(offset: start, length: Int(size)) else {
            throw PEError.stringTablePastEnd(offset: start, size: size, fileSize: r.count, pointerOffset: pointerOffset)
        }
        return COFFStringTable(range: range)
    }

    /// The offset N of a `/N` header name, or nil when `name` does not start with `/`.
    static func longNameOffset(_ name: String, headerOffset: Int) throws -> Int? {
        guard name.hasPrefix("/") else { return nil }
        let digits = name.dropFirst()
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(digits) else {
            throw PEError.badLongName(name: name, headerOffset: headerOffset)
        }
        return n
    }

    /// Resolves the name at offset `n` of the table: NUL-terminated, longer than 8 bytes.
    func name<Bytes>(at n: Int, _ r: ByteReader<Bytes>, header: String, headerOffset: Int) throws -> String {
        let size = range.count
        guard n >= 4, n < size else {
            throw PEError.longNameOutsideStringTable(name: header, headerOffset: headerOffset, tableOffset: range.lowerBound, tableSize: size)
        }
        let text = try r.slice(range.lowerBound + n, size - n, field: "string_table")
        guard let end = text.firstIndex(of: 0) else {
            throw PEError.longNameOutsideStringTable(name: header, headerOffset: headerOffset, tableOffset: range.lowerBound, tableSize: size)
        }
        let resolved = String(decoding: text[..<end], as: UTF8.self)
        guard end > 8 else { throw PEError.longNameNotLong(name: header, resolved: resolved, headerOffset: headerOffset) }
        return resolved
    }
}
