/// The bytes a request's `.file` segments point at: the input files as the planner read them
/// (in dom0 the payload memory the hypercall sends). `XenRules` reads segment 0's setup header
/// through it for KEXEC_TYPE_CRASH_EFI, as Xen reads it back from the destination
/// (`kimage_find_kernel_entry_maddr`, v2 series patch 5/7).
public struct SegmentFiles: Sendable {
    private let read: @Sendable (InputFile, Range<Int>) -> [UInt8]

    /// The files behind `.file(.image, …)` and `.file(.initrd, …)`.
    public init<Bytes: RandomAccessCollection & Sendable>(image: Bytes, initrd: Bytes? = nil)
    where Bytes.Element == UInt8, Bytes.Index == Int {
        read = { file, range in
            let bytes: Bytes? = file == .image ? image : initrd
            guard let bytes else { return [] }
            let lower = min(max(range.lowerBound, 0), bytes.count)
            let upper = min(max(range.upperBound, lower), bytes.count)
            let s = bytes.startIndex
            return Array(bytes[(s + lower)..<(s + upper)])
        }
    }

    /// No files: a request whose segments are all generated or buffer-less.
    public static let none = SegmentFiles(image: [UInt8]())

    /// The first `count` bytes of `source` (fewer when the file or buffer is shorter).
    public func prefix(of source: SegmentSource, count: Int) -> [UInt8] {
        switch source {
        case .none: []
        case .generated(let b): Array(b.prefix(count))
        case .file(let f, let r): read(f, r.lowerBound..<(r.lowerBound + min(r.count, count)))
        }
    }
}
