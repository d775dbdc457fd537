/// Builds a synthetic Unified Kernel Image: a PE32+ whose sections carry the given
/// payloads, each padded to FileAlignment (0x200) with VirtualSize = the payload size.
/// Names longer than 8 bytes are written as `/N` into a COFF string table after the last
/// section (as binutils' objcopy does), PointerToSymbolTable pointing at it, no symbols.
struct UKIBuilder {
    var sections: [(name: String, data: [UInt8])]
    /// Sign the UKI itself (a certificate table after the last section).
    var signed = false

    static let peOffset = 0x80
    static let optionalHeaderSize = 112 + 16 * 8
    static var sectionTableOffset: Int { peOffset + 24 + optionalHeaderSize }
    static let headersSize = 0x400
    static let fileAlignment = 0x200

    init(linux: [UInt8]?, initrd: [UInt8]? = nil, cmdline: String? = nil, osrel: String? = nil, uname: String? = nil) {
        var s: [(String, [UInt8])] = []
        if let osrel { s.append((".osrel", Array(osrel.utf8))) }
        if let cmdline { s.append((".cmdline", Array(cmdline.utf8))) }
        if let uname { s.append((".uname", Array(uname.utf8))) }
        if let linux { s.append((".linux", linux)) }
        if let initrd { s.append((".initrd", initrd)) }
        sections = s
    }

    /// File offset of section `index`'s header.
    static func sectionHeaderOffset(_ index: Int) -> Int { sectionTableOffset + 40 * index }

    /// File offset where section `index`'s raw data starts.
    func rawOffset(of index: Int) -> Int {
        var at = Self.headersSize
        for i in 0..<index { at += Self.padded(sections[i].data.count) }
        return at
    }

    static func padded(_ n: Int) -> Int { (n + fileAlignment - 1) / fileAlignment * fileAlignment }

    func bytes() -> [UInt8] {
        var w = ByteWriter(count: Self.headersSize)
        w.u16(0, 0x5A4D)
        w.u32(0x3C, UInt32(Self.peOffset))
        w.put("PE\0\0", at: Self.peOffset)
        w.u16(Self.peOffset + 4, 0x8664)
        w.u16(Self.peOffset + 6, UInt16(sections.count))
        w.u16(Self.peOffset + 20, UInt16(Self.optionalHeaderSize))
        w.u16(Self.peOffset + 22, 0x22)
        let opt = Self.peOffset + 24
        w.u16(opt, 0x20B)
        w.u32(opt + 60, UInt32(Self.headersSize))
        w.u16(opt + 68, 10)
        w.u32(opt + 108, 16)
        var va: UInt32 = 0x1000
        var strings: [UInt8] = [0, 0, 0, 0]
        for (i, section) in sections.enumerated() {
            let at = Self.sectionHeaderOffset(i)
            if section.name.utf8.count > 8 {
                w.put("/\(strings.count)", at: at)
                strings += Array(section.name.utf8) + [0]
            } else {
                w.put(section.name, at: at)
            }
            w.u32(at + 8, UInt32(section.data.count))
            w.u32(at + 12, va)
            w.u32(at + 16, UInt32(Self.padded(section.data.count)))
            w.u32(at + 20, UInt32(rawOffset(of: i)))
            w.u32(at + 36, 0x4000_0040)
            va += UInt32((section.data.count + 0xFFF) / 0x1000 * 0x1000)
        }
        for section in sections {
            w.append(section.data)
            w.align(Self.fileAlignment)
        }
        if strings.count > 4 {
            let at = w.bytes.count
            let n = UInt32(strings.count)
            strings[0] = UInt8(n & 0xFF); strings[1] = UInt8((n >> 8) & 0xFF)
            strings[2] = UInt8((n >> 16) & 0xFF); strings[3] = UInt8(n >> 24)
            w.append(strings)
            w.align(8)
            w.u32(Self.peOffset + 12, UInt32(at))
        }
        if signed {
            let at = w.bytes.count
            var cert = ByteWriter(count: 0x40)
            cert.u32(0, 0x40); cert.u16(4, 0x200); cert.u16(6, 2)
            w.append(cert.bytes)
            w.u32(opt + 112 + 32, UInt32(at))
            w.u32(opt + 112 + 36, 0x40)
        }
        return w.bytes
    }
}
