/// Bounds-checked little-endian reads from the bytes of an image file.
///
/// Every read names the field it is for, so a short or crafted file yields a
/// `ByteReaderError` that says which field at which byte offset did not fit,
/// never a trap. Offsets are absolute within `bytes` (zero-based, whatever the
/// collection's own start index is).
public struct ByteReader<Bytes: RandomAccessCollection> where Bytes.Element == UInt8, Bytes.Index == Int {
    public let bytes: Bytes

    public init(_ bytes: Bytes) { self.bytes = bytes }

    /// Number of bytes that can be read.
    public var count: Int { bytes.count }

    /// The range `[offset, offset + length)` if it lies inside the bytes, else `nil`.
    /// Never overflows: `offset + length` is computed with overflow reporting.
    public func checkedRange(offset: Int, length: Int) -> Range<Int>? {
        guard offset >= 0, length >= 0 else { return nil }
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end <= bytes.count else { return nil }
        return offset..<end
    }

    /// Reads an unsigned little-endian integer of `T`'s width at `offset`.
    public func read<T: FixedWidthInteger & UnsignedInteger>(
        _: T.Type, at offset: Int, field: String
    ) throws(ByteReaderError) -> T {
        let width = T.bitWidth / 8
        guard let range = checkedRange(offset: offset, length: width) else {
            throw ByteReaderError(field: field, offset: offset, length: width, available: bytes.count)
        }
        var value: T = 0
        var shift = 0
        let base = bytes.startIndex
        for i in range {
            value |= T(bytes[base + i]) << shift
            shift += 8
        }
        return value
    }

    public func u8(_ offset: Int, _ field: String) throws(ByteReaderError) -> UInt8 {
        try read(UInt8.self, at: offset, field: field)
    }
    public func u16(_ offset: Int, _ field: String) throws(ByteReaderError) -> UInt16 {
        try read(UInt16.self, at: offset, field: field)
    }
    public func u32(_ offset: Int, _ field: String) throws(ByteReaderError) -> UInt32 {
        try read(UInt32.self, at: offset, field: field)
    }
    public func u64(_ offset: Int, _ field: String) throws(ByteReaderError) -> UInt64 {
        try read(UInt64.self, at: offset, field: field)
    }

    /// Copies `length` bytes at `offset` (for short fields such as names and magics).
    public func slice(_ offset: Int, _ length: Int, field: String) throws(ByteReaderError) -> [UInt8] {
        guard let range = checkedRange(offset: offset, length: length) else {
            throw ByteReaderError(field: field, offset: offset, length: length, available: bytes.count)
        }
        let base = bytes.startIndex
        return Array(bytes[(base + range.lowerBound)..<(base + range.upperBound)])
    }
}

/// A read that would go past the end of the file (or start before it).
public struct ByteReaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field being read, e.g. `"setup_header.version"`.
    public let field: String
    /// Byte offset of the field in the file.
    public let offset: Int
    /// Width of the field in bytes.
    public let length: Int
    /// How many bytes the file has.
    public let available: Int

    public var description: String {
        "\(field) at offset \(hex(offset)) (\(length) bytes) lies past the end of the file (\(available) bytes)"
    }
}

/// Runs a format's parser body and maps its failures into the format's own error type:
/// the format error `E` passes through, a `ByteReaderError` (a field past the end of the
/// file) becomes `truncated(e)`. `field` and `offset` name what is reported should the body ever throw
/// anything else (it does not; the bodies throw only these two types).
func mappingTruncation<T, E: Error>(
    _ truncated: (ByteReaderError) -> E, field: String, offset: Int = 0, available: Int, _ body: () throws -> T
) throws(E) -> T {
    do {
        return try body()
    } catch let e as E {
        throw e
    } catch let e as ByteReaderError {
        throw truncated(e)
    } catch {
        throw truncated(ByteReaderError(field: field, offset: offset, length: 0, available: available))
    }
}
