import Crypto
import FoundationEssentials

/// Every SHA-256 a plan carries, computed here and nowhere else: each segment's digest, the
/// purgatory's table of the digests it checks before the jump (`PurgatoryDigests`), and the
/// digest Xen computes for crash loads: one SHA-256 over every segment's `buf_size` bytes, in
/// segment order (buffer-less segments and zero tails contribute nothing). File bytes are
/// hashed in place, never copied, when their slices are `DataProtocol` (an `[UInt8]`, or
/// XenKexec's `PayloadBytes` view of hypercall memory, whose raw-memory access lives in
/// PayloadBuffer.swift); other collections are hashed in 1 MiB copies. No pointer is touched
/// here. The purgatory's own bytes depend on the other segments' digests, so the segments are
/// hashed first and the plan digest second (each byte feeds two hashes, as before the
/// purgatory checked anything).
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
            case .generated(let bytes): digest.update(data: bytes)
            case .file(let which, let range):
                let bytes: Bytes? = which == .image ? image : initrd
                if let b = bytes { feed(b, range, into: &digest) }
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
        case .generated(let bytes): seg.update(data: bytes)
        case .file(let which, let range):
            let bytes: Bytes? = which == .image ? image : initrd
            if let b = bytes { feed(b, range, into: &seg) }
        }
        return Array(seg.finalize())
    }

    /// SHA-256 of `range` (zero-based offsets) of `bytes`.
    public static func sha256<Bytes: RandomAccessCollection>(_ bytes: Bytes, _ range: Range<Int>) -> [UInt8]
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var h = SHA256()
        feed(bytes, range, into: &h)
        return Array(h.finalize())
    }

    /// Feeds `range` (zero-based, clamped to the bytes) of `bytes` to `hash`: in place when the
    /// slice is `DataProtocol`, otherwise through a 1 MiB buffer.
    static func feed<Bytes: RandomAccessCollection>(_ bytes: Bytes, _ range: Range<Int>, into hash: inout SHA256)
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let lo = max(0, min(range.lowerBound, bytes.count)), hi = max(lo, min(range.upperBound, bytes.count))
        let slice = bytes[(bytes.startIndex + lo)..<(bytes.startIndex + hi)]
        if let inPlace = slice as? any DataProtocol {
            hash.update(data: inPlace)
            return
        }
        var chunk = [UInt8]()
        chunk.reserveCapacity(1 << 20)
        var i = slice.startIndex
        while i < slice.endIndex {
            let next = i + min(1 << 20, slice.endIndex - i)
            chunk.removeAll(keepingCapacity: true)
            chunk.append(contentsOf: slice[i..<next])
            hash.update(data: chunk)
            i = next
        }
    }
}
