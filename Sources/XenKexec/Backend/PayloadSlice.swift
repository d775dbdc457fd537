/// A byte range of a ``PayloadBuffer``: what a segment's `buf.h` and `buf_size` point at.
public struct PayloadSlice: Sendable {
    public let buffer: PayloadBuffer
    public let range: Range<Int>

    /// `range` must lie inside the buffer.
    public init(_ buffer: PayloadBuffer, range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= buffer.byteCount, "slice outside its payload buffer")
        self.buffer = buffer
        self.range = range
    }

    public var count: Int { range.count }
}
