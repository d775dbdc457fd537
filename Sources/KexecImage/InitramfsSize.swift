/// How much memory an initramfs takes once a kernel has unpacked it into its root file
/// system (Linux `init/initramfs.c`, `unpack_to_rootfs`): the file is a sequence of cpio
/// archives in the "newc" format ("070701", or "070702" with checksums), each possibly
/// compressed, with zero padding between them. Uncompressed archives are walked entry by
/// entry; a compressed one runs to the end of the file (what `mkinitramfs` writes after the
/// early microcode archive) and its unpacked size is read where the format records it:
/// gzip's ISIZE trailer (RFC 1952, the size modulo 2^32) or a zstd frame's
/// Frame_Content_Size (RFC 8878, 3.1.1.1.2), absent when the compressor read a pipe.
public struct InitramfsSize: Equatable, Sendable {
    /// The file's size: memory the kernel holds until it frees the initrd.
    public var fileSize: UInt64
    /// Unpacked bytes known exactly: cpio data and headers, and compressed members whose
    /// format records their size.
    public var unpackedKnown: UInt64
    /// Compressed bytes whose unpacked size the format does not record, and the
    /// compression's name ("zstd", "xz", "lz4", "bzip2", "lzma", "lzop").
    public var unsized: (bytes: UInt64, compression: String)?

    public init(fileSize: UInt64, unpackedKnown: UInt64, unsized: (bytes: UInt64, compression: String)?) {
        self.fileSize = fileSize
        self.unpackedKnown = unpackedKnown
        self.unsized = unsized
    }

    public static func == (a: InitramfsSize, b: InitramfsSize) -> Bool {
        a.fileSize == b.fileSize && a.unpackedKnown == b.unpackedKnown
            && a.unsized?.bytes == b.unsized?.bytes && a.unsized?.compression == b.unsized?.compression
    }

    /// Reads `bytes`; an archive cut short or a header that is not newc is an error
    /// naming the offset.
    public static func measure<Bytes: RandomAccessCollection>(
        _ bytes: Bytes
    ) throws(InitramfsSizeError) -> InitramfsSize where Bytes.Element == UInt8, Bytes.Index == Int {
        let base = bytes.startIndex
        let count = bytes.count
        var size = InitramfsSize(fileSize: UInt64(count), unpackedKnown: 0, unsized: nil)
        var offset = 0
        func byte(_ i: Int) -> UInt8 { bytes[base + i] }
        while offset < count {
            if byte(offset) == 0 { offset += 1; continue }   // padding between archives
            let magic = (0..<min(6, count - offset)).map { byte(offset + $0) }
            if magic == Array("070701".utf8) || magic == Array("070702".utf8) {
                offset = try walkCpio(bytes, from: offset, adding: &size.unpackedKnown)
                continue
            }
            let rest = UInt64(count - offset)
            if magic.starts(with: [0x1F, 0x8B]) {
                guard count - offset >= 18 else { throw .truncated(field: "gzip member", offset: offset) }
                // ISIZE: the last 4 bytes of the member, little-endian (RFC 1952, 2.3.1).
                let isize = (0..<4).reduce(UInt64(0)) { $0 | UInt64(byte(count - 4 + $1)) << (8 * UInt64($1)) }
                size.unpackedKnown += isize
            } else if magic.starts(with: [0x28, 0xB5, 0x2F, 0xFD]), let content = zstdContentSize(bytes, at: offset) {
                size.unpackedKnown += content
            } else {
                size.unsized = (rest, magic.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) ? "zstd" : compressionName(magic))
            }
            break
        }
        return size
    }

    /// Walks one newc archive from `offset` to past its "TRAILER!!!" entry.
    static func walkCpio<Bytes: RandomAccessCollection>(
        _ bytes: Bytes, from start: Int, adding total: inout UInt64
    ) throws(InitramfsSizeError) -> Int where Bytes.Element == UInt8, Bytes.Index == Int {
        let headerSize = 110
        var offset = start
        while true {
            guard bytes.count - offset >= headerSize else { throw .truncated(field: "cpio header", offset: offset) }
            func field(_ index: Int) throws(InitramfsSizeError) -> Int {
                let at = bytes.startIndex + offset + 6 + 8 * index
                guard let v = Int(String(decoding: bytes[at..<(at + 8)], as: UTF8.self), radix: 16) else {
                    throw .badHeader(field: index == 6 ? "c_filesize" : "c_namesize", offset: offset + 6 + 8 * index)
                }
                return v
            }
            let fileSize = try field(6), nameSize = try field(11)
            let nameStart = offset + headerSize
            let dataStart = (nameStart + nameSize + 3) & ~3
            let next = (dataStart + fileSize + 3) & ~3
            guard nameSize > 0, dataStart <= bytes.count, dataStart + fileSize <= bytes.count else {
                throw .truncated(field: "cpio entry", offset: offset)
            }
            let name = bytes[(bytes.startIndex + nameStart)..<(bytes.startIndex + nameStart + nameSize - 1)]
            if name.elementsEqual("TRAILER!!!".utf8) { return min(next, bytes.count) }
            // What the entry takes in the root file system: its data, plus a page-rounded
            // inode and name (tmpfs charges whole pages for data; names and inodes are small).
            total += UInt64(fileSize + 4095) & ~4095
            offset = next
        }
    }

    /// Frame_Content_Size of the zstd frame at `offset`, when its header carries one.
    static func zstdContentSize<Bytes: RandomAccessCollection>(
        _ bytes: Bytes, at offset: Int
    ) -> UInt64? where Bytes.Element == UInt8, Bytes.Index == Int {
        guard bytes.count - offset >= 14 else { return nil }
        let b = { (i: Int) in UInt64(bytes[bytes.startIndex + offset + i]) }
        let descriptor = b(4)
        let fcsFlag = descriptor >> 6, singleSegment = (descriptor >> 5) & 1, dictFlag = descriptor & 3
        let fieldSize: Int
        switch fcsFlag {
        case 0: fieldSize = singleSegment == 1 ? 1 : 0
        case 1: fieldSize = 2
        case 2: fieldSize = 4
        default: fieldSize = 8
        }
        guard fieldSize > 0 else { return nil }
        let dictSize = [0, 1, 2, 4][Int(dictFlag)]
        let at = 5 + (singleSegment == 1 ? 0 : 1) + dictSize
        var v: UInt64 = 0
        for i in 0..<fieldSize { v |= b(at + i) << (8 * UInt64(i)) }
        return fieldSize == 2 ? v + 256 : v
    }

    static func compressionName(_ magic: [UInt8]) -> String {
        switch magic.prefix(3) {
        case [0xFD, 0x37, 0x7A]: return "xz"
        case [0x02, 0x21, 0x4C]: return "lz4"
        case [0x42, 0x5A, 0x68]: return "bzip2"
        case [0x5D, 0x00, 0x00]: return "lzma"
        case [0x89, 0x4C, 0x5A]: return "lzop"
        default: return "unknown"
        }
    }
}

/// Why an initramfs could not be measured; names the field and byte offset.
public enum InitramfsSizeError: Error, Equatable, Sendable, CustomStringConvertible {
    case truncated(field: String, offset: Int)
    case badHeader(field: String, offset: Int)

    public var description: String {
        switch self {
        case .truncated(let field, let offset): "the initramfs ends inside a \(field) at byte \(offset)"
        case .badHeader(let field, let offset): "the cpio header field \(field) at byte \(offset) is not 8 hex digits"
        }
    }
}
