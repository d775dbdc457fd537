import Crypto

/// SHA-256 of each segment's buffer and the digest Xen computes for crash loads: one
/// SHA-256 over every segment's `buf_size` bytes, in segment order (buffer-less segments and
/// zero tails contribute nothing). Each byte is read once and fed to both hashes; file bytes
/// are hashed in place (`withContiguousStorageIfAvailable`), never copied, whether they are
/// an `[UInt8]` or an `UnsafeRawBufferPointer` over hypercall memory.
///
/// The corresponding C function is Xen's `kimage_calc_digest` (v2 series, patch 1/7).
public enum PlanDigest {
    /// Fills `sha256` of every segment and returns the plan digest.
    public static func hash<Bytes: RandomAccessCollection>(
        segments: inout [PlannedSegment], image: Bytes, initrd: Bytes?
    ) -> [UInt8] where Bytes.Element == UInt8, Bytes.Index == Int {
        var digest = SHA256()
        for i in segments.indices {
            var seg = SHA256()
            switch segments[i].source {
            case .none:
                segments[i].sha256 = nil
                continue
            case .generated(let bytes):
                bytes.withUnsafeBytes { raw in
                    seg.update(bufferPointer: raw)
                    digest.update(bufferPointer: raw)
                }
            case .file(let which, let range):
                let bytes: Bytes? = which == .image ? image : initrd
                if let b = bytes { feed(b, range, &seg, &digest) }
            }
            segments[i].sha256 = Array(seg.finalize())
        }
        return Array(digest.finalize())
    }

    /// SHA-256 of `range` (zero-based offsets) of `bytes`.
    public static func sha256<Bytes: RandomAccessCollection>(_ bytes: Bytes, _ range: Range<Int>) -> [UInt8]
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var h = SHA256()
        var unused = SHA256()
        feed(bytes, range, &h, &unused)
        return Array(h.finalize())
    }

    static func feed<Bytes: RandomAccessCollection>(_ bytes: Bytes, _ range: Range<Int>, _ a: inout SHA256, _ b: inout SHA256)
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let lo = max(0, min(range.lowerBound, bytes.count)), hi = max(lo, min(range.upperBound, bytes.count))
        let done: Void? = bytes.withContiguousStorageIfAvailable { buf in
            let raw = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buf[lo..<hi]))
            a.update(bufferPointer: raw)
            b.update(bufferPointer: raw)
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
            chunk.withUnsafeBytes { raw in
                a.update(bufferPointer: raw)
                b.update(bufferPointer: raw)
            }
            i = next
        }
    }
}
