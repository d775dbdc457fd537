import Testing
@testable import KexecImage

/// PE section names longer than 8 bytes: `/N` in the header, the name in the COFF string
/// table (as objcopy writes them). Resolved in full; malformed `/N` names are typed errors
/// naming `section.Name` or `PointerToSymbolTable` and the offset.
@Suite struct LongSectionNameTests {
    static let kernel: [UInt8] = { var b = BzImageBuilder(); b.pe = false; return b.bytes() }()

    /// A UKI with an extra long-named section first, then `.cmdline` and `.linux`.
    static func uki(extra: String = ".initrd-extra") -> UKIBuilder {
        var b = UKIBuilder(linux: kernel, cmdline: "quiet")
        b.sections.insert((extra, Array("payload".utf8)), at: 0)
        return b
    }

    /// File offset of the string table the builder appended (PointerToSymbolTable).
    static func stringTableOffset(_ bytes: [UInt8]) -> Int { Int(readLE(bytes, UKIBuilder.peOffset + 12, as: UInt32.self)) }

    func expectPEError(_ bytes: [UInt8], field: String, offset: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try KernelImage.parse(bytes)
            Issue.record("expected \(field) at \(hex(offset))", sourceLocation: sourceLocation)
        } catch {
            guard case .pe(_, 0, _) = error else {
                Issue.record("expected a PE header error at file offset 0, got \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
            #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(hex(offset)), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func longNamesAreResolvedThroughTheStringTable() throws {
        var b = Self.uki()
        b.sections.append((".a-much-longer-name", [1, 2, 3]))
        let bytes = b.bytes()
        // The header holds "/4" and "/18": offsets into the table.
        #expect(Array(bytes[UKIBuilder.sectionHeaderOffset(0)..<UKIBuilder.sectionHeaderOffset(0) + 2]) == Array("/4".utf8))
        let image = try KernelImage.parse(bytes)
        #expect(image.format == .uki)
        #expect(image.uki?.pe.sections.map(\.name) == [".initrd-extra", ".cmdline", ".linux", ".a-much-longer-name"])
        #expect(image.embeddedCommandLine == "quiet")
        #expect(image.uki?.pe.section(named: ".initrd-extra")?.payloadRange.count == 7)
        // A long name is never one of the UKI's own sections: no initrd from ".initrd-extra".
        #expect(image.initrdRange == nil)
    }

    @Test func imagesWithoutLongNamesNeverReadTheSymbolTablePointer() throws {
        // PointerToSymbolTable garbage is ignored when no name starts with "/".
        var bytes = UKIBuilder(linux: Self.kernel, cmdline: "q").bytes()
        for i in 0..<4 { bytes[UKIBuilder.peOffset + 12 + i] = 0xFF }
        #expect(try KernelImage.parse(bytes).embeddedCommandLine == "q")
    }

    @Test(arguments: ["/", "/x4", "//AAAAAA", "/4 "])
    func notADecimalOffset(name: String) {
        var bytes = Self.uki().bytes()
        let at = UKIBuilder.sectionHeaderOffset(0)
        for i in 0..<8 { bytes[at + i] = i < name.utf8.count ? Array(name.utf8)[i] : 0 }
        expectPEError(bytes, field: "section.Name", offset: at)
    }

    @Test func noStringTable() {
        var bytes = Self.uki().bytes()
        for i in 0..<4 { bytes[UKIBuilder.peOffset + 12 + i] = 0 }
        expectPEError(bytes, field: "PointerToSymbolTable", offset: UKIBuilder.peOffset + 12)
    }

    @Test func stringTablePastTheEnd() {
        let good = Self.uki().bytes()
        let table = Self.stringTableOffset(good)
        // The pointer past the file, the declared size past the file, and a size below 4.
        var pointer = good
        for (i, v) in [UInt8(0xF0), 0xFF, 0xFF, 0x7F].enumerated() { pointer[UKIBuilder.peOffset + 12 + i] = v }
        expectPEError(pointer, field: "PointerToSymbolTable", offset: UKIBuilder.peOffset + 12)
        var size = good
        size[table + 3] = 0x40
        expectPEError(size, field: "PointerToSymbolTable", offset: UKIBuilder.peOffset + 12)
        var tiny = good
        tiny[table] = 3; tiny[table + 1] = 0
        expectPEError(tiny, field: "PointerToSymbolTable", offset: UKIBuilder.peOffset + 12)
        // Many symbols: PointerToSymbolTable + NumberOfSymbols × 18 lands past the end.
        var symbols = good
        for i in 0..<4 { symbols[UKIBuilder.peOffset + 16 + i] = 0xFF }
        expectPEError(symbols, field: "PointerToSymbolTable", offset: UKIBuilder.peOffset + 12)
    }

    @Test(arguments: ["/0", "/3", "/9999999", "/18"])
    func offsetOutsideTheTable(name: String) {
        var bytes = Self.uki().bytes()
        let at = UKIBuilder.sectionHeaderOffset(0)
        for i in 0..<8 { bytes[at + i] = i < name.utf8.count ? Array(name.utf8)[i] : 0 }
        expectPEError(bytes, field: "section.Name", offset: at)
    }

    @Test func nameWithoutNULBeforeTheTableEnds() {
        var bytes = Self.uki().bytes()
        let table = Self.stringTableOffset(bytes)
        let size = Int(readLE(bytes, table, as: UInt32.self))
        bytes[table + size - 1] = 0x41
        expectPEError(bytes, field: "section.Name", offset: UKIBuilder.sectionHeaderOffset(0))
    }

    @Test func longNameThatIsNotLong() {
        // "/4" resolving to ".linux" would hide a UKI section from loaders that compare the header.
        var bytes = Self.uki().bytes()
        let table = Self.stringTableOffset(bytes)
        let short = Array(".linux".utf8) + [0]
        for (i, c) in short.enumerated() { bytes[table + 4 + i] = c }
        expectPEError(bytes, field: "section.Name", offset: UKIBuilder.sectionHeaderOffset(0))
        do {
            _ = try KernelImage.parse(bytes)
        } catch {
            #expect(error.description.contains("resolving to \".linux\" (8 bytes or fewer)"))
        }
    }

    @Test func truncationAtEveryOffsetOfTheStringTable() {
        let bytes = Self.uki().bytes()
        let table = Self.stringTableOffset(bytes)
        let size = Int(readLE(bytes, table, as: UInt32.self))
        for cut in table..<(table + size) {
            #expect(throws: KernelImageError.self, "cut at \(hex(cut))") { try KernelImage.parse(bytes[0..<cut]) }
        }
    }
}
