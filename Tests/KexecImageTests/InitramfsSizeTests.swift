import KexecImage
import Testing

/// ``InitramfsSize`` on archives built here: newc cpio walked entry by entry, the gzip
/// ISIZE trailer, a zstd frame with and without Frame_Content_Size, other compressions
/// counted as unsized, and truncated archives named by offset.
@Suite struct InitramfsSizeTests {
    /// One newc entry: 110-byte header, name + NUL padded to 4, data padded to 4.
    static func entry(_ name: String, _ data: [UInt8]) -> [UInt8] {
        func field(_ v: Int) -> [UInt8] { Array(String(v, radix: 16, uppercase: true).leftPadded(8).utf8) }
        let nameBytes = Array(name.utf8) + [0]
        var h = Array("070701".utf8)
        for v in [1, 0o100644, 0, 0, 1, 0, data.count, 0, 0, 0, 0, nameBytes.count, 0] { h += field(v) }
        h += nameBytes
        while h.count % 4 != 0 { h.append(0) }
        h += data
        while h.count % 4 != 0 { h.append(0) }
        return h
    }

    static func archive(_ files: [(String, Int)]) -> [UInt8] {
        files.flatMap { entry($0.0, [UInt8](repeating: 0x41, count: $0.1)) } + entry("TRAILER!!!", [])
    }

    @Test func anUncompressedArchiveCountsEachEntryInWholePages() throws {
        let a = Self.archive([("kernel/x86/microcode/AuthenticAMD.bin", 5000), ("init", 10)])
        let s = try InitramfsSize.measure(a)
        #expect(s.fileSize == UInt64(a.count))
        #expect(s.unpackedKnown == 8192 + 4096)
        #expect(s.unsized == nil)
    }

    /// mkinitramfs' layout: the early (microcode) archive, padding, then one compressed
    /// member to the end of the file.
    @Test func gzipMemberAfterTheEarlyArchiveUsesISIZE() throws {
        let early = Self.archive([("early", 100)])
        var gz: [UInt8] = [0x1F, 0x8B, 0x08, 0x00] + [UInt8](repeating: 0, count: 20)
        gz += [0x00, 0x00, 0x50, 0x07]   // ISIZE = 0x07500000, 117 MiB
        let s = try InitramfsSize.measure(early + [0, 0, 0, 0] + gz)
        #expect(s.unpackedKnown == 4096 + 0x0750_0000)
        #expect(s.unsized == nil)
    }

    @Test func zstdWithAndWithoutContentSize() throws {
        // Single_Segment_flag set, FCS_Field_Size 8 (flag 3): the size follows the descriptor.
        let sized: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0b1110_0000] + [0x00, 0x00, 0x00, 0x08, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 8)
        #expect(try InitramfsSize.measure(sized).unpackedKnown == 0x0800_0000)
        // Streamed (a pipe): no Frame_Content_Size, a window descriptor instead.
        let streamed: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0b0000_0000, 0x58] + [UInt8](repeating: 7, count: 30)
        let s = try InitramfsSize.measure(streamed)
        #expect(s.unpackedKnown == 0)
        #expect(s.unsized?.bytes == 36 && s.unsized?.compression == "zstd")
    }

    @Test func otherCompressionsAreNamedAndUnsized() throws {
        let xz: [UInt8] = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00] + [UInt8](repeating: 1, count: 10)
        #expect(try InitramfsSize.measure(xz).unsized?.compression == "xz")
        let lz4: [UInt8] = [0x02, 0x21, 0x4C, 0x18] + [UInt8](repeating: 1, count: 10)
        #expect(try InitramfsSize.measure(lz4).unsized?.compression == "lz4")
    }

    @Test func aCutArchiveIsAnErrorAtItsOffset() {
        let a = Self.archive([("init", 3000)])
        #expect(throws: InitramfsSizeError.truncated(field: "cpio entry", offset: 0)) { try InitramfsSize.measure(Array(a.prefix(2000))) }
        #expect(throws: InitramfsSizeError.truncated(field: "cpio header", offset: 0)) { try InitramfsSize.measure(Array(a.prefix(50))) }
        var bad = a
        bad[6 + 8 * 6] = UInt8(ascii: "Z")
        #expect(throws: InitramfsSizeError.badHeader(field: "c_filesize", offset: 54)) { try InitramfsSize.measure(bad) }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
