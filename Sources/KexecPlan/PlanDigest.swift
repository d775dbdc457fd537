import Crypto
import FoundationEssentials
import KexecPurgatory

/// Every SHA-256 a plan carries, computed here in one pass over the payload: the digest Xen
/// computes for crash loads (one SHA-256 over every segment's `buf_size` bytes, in segment
/// order; buffer-less segments and zero tails contribute nothing) and the purgatory's digest
/// of every other segment (`PurgatoryDigests`). The classic layouts send the purgatory last
/// (`PlanPurgatory.purgatoryLast`), so one running SHA-256 over the other segments is
/// copied (swift-crypto's `SHA256` is a value) and finalized for the purgatory's table, and
/// the same running digest continues over the purgatory's bytes into Xen's. File bytes are
/// hashed in place, never copied, when their slices are `DataProtocol` (an `[UInt8]`, or
/// XenKexec's `PayloadBytes` view of hypercall memory, whose raw-memory access lives in
/// PayloadBuffer.swift); other collections are hashed in 1 MiB copies. No pointer is touched
/// here. Each segment's own digest is informational and computed only on request (a second
/// pass).
///
/// The corresponding C function is Xen's `kimage_calc_digest` (v2 series, patch 1/7).
public enum PlanDigest {
    /// Fills the purgatory's digest (and, with `segmentDigests`, every segment's `sha256`)
    /// and returns the plan digest. `corruptPurgatoryDigest` (tests only) records a wrong
    /// digest in the purgatory's table, so that the purgatory refuses to start the kernel.
    public static func hash<Bytes: RandomAccessCollection>(
        segments: inout [PlannedSegment], image: Bytes, initrd: Bytes?, corruptPurgatoryDigest: Bool = false,
        segmentDigests: Bool = false
    ) -> [UInt8] where Bytes.Element == UInt8, Bytes.Index == Int {
        let purgatory = segments.firstIndex { $0.role == .purgatory }
        var running = SHA256()
        var next = segments.startIndex
        if let p = purgatory, case .generated(var code) = segments[p].source {
            let others = segments.indices.filter { $0 != p }
            if others.allSatisfy({ $0 < p || segments[$0].isBufferless }) {
                // One pass: the other segments, then the purgatory, in segment order.
                for i in segments.indices where i < p { update(&running, segments[i].source, image: image, initrd: initrd) }
                let ofOthers = running
                PurgatoryDigests.fill(&code, digest: Array(ofOthers.finalize()), corrupt: corruptPurgatoryDigest)
                next = p
            } else {
                // A purgatory before a segment with a buffer (no layout makes one): its digest
                // of the others needs a pass of its own.
                var ofOthers = SHA256()
                for i in others { update(&ofOthers, segments[i].source, image: image, initrd: initrd) }
                PurgatoryDigests.fill(&code, digest: Array(ofOthers.finalize()), corrupt: corruptPurgatoryDigest)
            }
            segments[p].source = .generated(code)
        }
        for i in segments.indices where i >= next { update(&running, segments[i].source, image: image, initrd: initrd) }
        if segmentDigests {
            for i in segments.indices { segments[i].sha256 = segmentDigest(segments[i].source, image: image, initrd: initrd) }
        }
        return Array(running.finalize())
    }

    /// Feeds one segment's buffer (nothing for a buffer-less segment) to `hasher`.
    static func update<Bytes: RandomAccessCollection>(
        _ hasher: inout SHA256, _ source: SegmentSource, image: Bytes, initrd: Bytes?
    ) where Bytes.Element == UInt8, Bytes.Index == Int {
        switch source {
        case .none: return
        case .generated(let bytes):
            SHA256Meter.record(bytes.count, .plan)
            hasher.update(data: bytes)
        case .file(let which, let range):
            let bytes: Bytes? = which == .image ? image : initrd
            if let b = bytes { feed(b, range, into: &hasher, counting: .plan) }
        }
    }

    /// SHA-256 of one segment's buffer (nil for a buffer-less segment).
    static func segmentDigest<Bytes: RandomAccessCollection>(
        _ source: SegmentSource, image: Bytes, initrd: Bytes?
    ) -> [UInt8]? where Bytes.Element == UInt8, Bytes.Index == Int {
        if case .none = source { return nil }
        var seg = SHA256()
        update(&seg, source, image: image, initrd: initrd)
        return Array(seg.finalize())
    }

    /// SHA-256 of `range` (zero-based offsets) of `bytes`.
    public static func sha256<Bytes: RandomAccessCollection>(_ bytes: Bytes, _ range: Range<Int>) -> [UInt8]
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var h = SHA256()
        feed(bytes, range, into: &h, counting: .file)
        return Array(h.finalize())
    }

    /// Feeds `range` (zero-based, clamped to the bytes) of `bytes` to `hash`, counted by
    /// `SHA256Meter` as `purpose`: in place when the slice is `DataProtocol`, otherwise through
    /// a 1 MiB buffer.
    static func feed<Bytes: RandomAccessCollection>(
        _ bytes: Bytes, _ range: Range<Int>, into hash: inout SHA256, counting purpose: SHA256Meter.Purpose
    ) where Bytes.Element == UInt8, Bytes.Index == Int {
        let lo = max(0, min(range.lowerBound, bytes.count)), hi = max(lo, min(range.upperBound, bytes.count))
        SHA256Meter.record(hi - lo, purpose)
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
