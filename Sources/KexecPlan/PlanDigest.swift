import Crypto

/// Every SHA-256 a plan carries, computed here and nowhere else: each segment's digest, the
/// purgatory's table of the digests it checks before the jump (`PurgatoryDigests`), and the
/// digest Xen computes for crash loads: one SHA-256 over every segment's `buf_size` bytes, in
/// segment order (buffer-less segments and zero tails contribute nothing). File bytes are
/// hashed in place (`withContiguousStorageIfAvailable`), never copied, whether they are an
/// `[UInt8]` or an `UnsafeRawBufferPointer` over hypercall memory. The purgatory's own bytes
/// depend on the other segments' digests, so the segments are hashed first and the plan
/// digest second (each byte feeds two hashes, as before the purgatory checked anything).
///
/// The corresponding C function is Xen's `kimage_calc_digest` (v2 series, patch 1/7).
public enum PlanDigest {
    /// Fills `sha256` of every segment and the purgatory's digest table, and returns the plan
    /// digest. `corruptPurgatoryDigest` (tests only) records a wrong kernel digest in the
    /// purgatory's table, so that the purgatory refuses to start the kernel.
    public static func hash<Bytes: RandomAccessCollection>(
        segments: inout [PlannedSegment], image: Bytes, initrd: Bytes?, corruptPurgatoryDigest: Bool = false
    ) -> [UInt8] where Bytes.Element == UInt8, Bytes.Index == Int {
        for i in segments.indices where segments[i].role != .purgatory {
            segments[i].sha256 = segmentDigest(segments[i].source, image: image, initrd: initrd)
        }
        for i in segments.indices where segments[i].role == .purgatory {
            if case .generated(var code) = segments[i].source {
                _ = PurgatoryDigests.fill(&code, from: segments, corruptKernel: corruptPurgatoryDigest)
                segments[i].source = .generated(code)
            }
            segments[i].sha256 = segmentDigest(segments[i].source, image: image, initrd: initrd)
        }
        var digest = SHA256()
        for s in segments {
            switch s.source {
            case .none: continue
            case .generated(let bytes): bytes.withUnsafeBytes { digest.update(bufferPointer: $0) }
            case .file(let which, let range):
                let bytes: Bytes? = which == .image ? image : initrd
                if let b = bytes { feed(b, range) { digest.update(bufferPointer: $0) } }
            }
        }
        return Array(digest.finalize())
    }

    /// SHA-256 of one segment's buffer (nil for a buffer-less segment).
    static func segmentDigest<Bytes: RandomAccessCollection>(
        _ source: SegmentSource, image: Bytes, initrd: Bytes?
    ) -> [UInt8]? where Bytes.Element == UInt8, Bytes.Index == Int {
        var seg = SHA256()
        switch source {
        case .none: return nil
        case .generated(let bytes): bytes.withUnsafeBytes { seg.update(bufferPointer: $0) }
        case .file(let which, let range):
            let bytes: Bytes? = which == .image ? image : initrd
            if let b = bytes { feed(b, range) { seg.update(bufferPointer: $0) } }
        }
        return Array(seg.finalize())
    }

    /// SHA-256 of `range` (zero-based offsets) of `bytes`.
    public static func sha256<Bytes: RandomAccessCollection>(_ bytes: Bytes, _ range: Range<Int>) -> [UInt8]
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var h = SHA256()
        feed(bytes, range) { h.update(bufferPointer: $0) }
        return Array(h.finalize())
    }

    /// Hands `range` of `bytes` to `update`, in place when the storage is contiguous.
    static func feed<Bytes: RandomAccessCollection>(_ bytes: Bytes, _ range: Range<Int>, _ update: (UnsafeRawBufferPointer) -> Void)
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let lo = max(0, min(range.lowerBound, bytes.count)), hi = max(lo, min(range.upperBound, bytes.count))
        let done: Void? = bytes.withContiguousStorageIfAvailable { buf in
            update(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buf[lo..<hi])))
        }
        if done != nil { return }
        // Not contiguous: hash in 1 MiB chunks.
        var chunk = [UInt8]()
        chunk.reserveCapacity(1 << 20)
        var i = bytes.index(bytes.startIndex, offsetBy: lo)
        let end = bytes.index(bytes.startIndex, offsetBy: hi)
        while i < end {
            let next = bytes.index(i, offsetBy: min(1 << 20, end - i))
            chunk.removeAll(keepingCapacity: true)
            chunk.append(contentsOf: bytes[i..<next])
            chunk.withUnsafeBytes { update($0) }
            i = next
        }
    }
}
