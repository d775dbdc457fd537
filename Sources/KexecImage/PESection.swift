/// One entry of a PE section table (40 bytes).
///
/// Offsets in the entry: Name (8 bytes, NUL-padded) +0, VirtualSize +8, VirtualAddress +12,
/// SizeOfRawData +16, PointerToRawData +20, Characteristics +36.
public struct PESection: Equatable, Sendable {
    /// Position in the section table.
    public let index: Int
    /// The name up to its first NUL; a `/N` name is resolved through the COFF string table
    /// (`COFFStringTable`), so names longer than 8 bytes read in full.
    public let name: String
    /// VirtualSize: bytes the section occupies in memory (the exact payload size in a UKI).
    public let virtualSize: UInt32
    /// VirtualAddress (an RVA).
    public let virtualAddress: UInt32
    /// SizeOfRawData: bytes in the file (rounded up to FileAlignment).
    public let sizeOfRawData: UInt32
    /// PointerToRawData: file offset of the raw data.
    public let pointerToRawData: UInt32
    /// Characteristics flags.
    public let characteristics: UInt32
    /// File offset of this entry in the section table.
    public let headerOffset: Int

    /// The section's raw bytes in the file: `[PointerToRawData, + SizeOfRawData)`.
    /// `PEImage.parse` has checked that it lies inside the file, even when it is empty.
    public var rawRange: Range<Int> {
        Int(pointerToRawData)..<(Int(pointerToRawData) + Int(sizeOfRawData))
    }

    /// The payload as UKI loaders read it: `min(VirtualSize, SizeOfRawData)` bytes from
    /// PointerToRawData (raw data is padded to FileAlignment; VirtualSize is the real size).
    public var payloadRange: Range<Int> {
        Int(pointerToRawData)..<(Int(pointerToRawData) + Int(min(virtualSize, sizeOfRawData)))
    }

    /// Decodes an 8-byte, NUL-padded section name (invalid UTF-8 is replaced, never trapped on).
    static func decodeName(_ raw: [UInt8]) -> String {
        let end = raw.firstIndex(of: 0) ?? raw.count
        return String(decoding: raw[..<end], as: UTF8.self)
    }
}
