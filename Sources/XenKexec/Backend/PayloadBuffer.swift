import Crypto
import FoundationEssentials
import KexecPlan
import SystemPackage

/// Memory that holds segment data until Xen has copied it: one allocation, owned by this
/// object and released exactly once when the last reference goes away.
///
/// The real backend allocates it with `xc__hypercall_buffer_alloc_pages`, or locked
/// anonymous pages when the hypercall-buffer device refuses a large request (Xen reads segment
/// data with `copy_from_guest`, which needs memory that stays mapped and is not shared with a
/// forked child); the tests use ordinary heap memory. Either way the bytes are only reachable
/// through the scoped accessors below, and the planner hashes them in place, so the payload
/// exists once in memory.
///
/// Unsafe pointer work here is limited to the three accessors and `deinit`. The other
/// files with `unsafe` work: `XenctrlHypervisor.swift` (the libxenctrl calls),
/// `SystemCalls.swift` (the read loop) and the test tooling's `MappedPurgatoryRoutines.swift`.
public final class PayloadBuffer: @unchecked Sendable {
    // @unchecked Sendable: the pointer is only handed out inside the scoped accessors; the
    // tool is single-threaded around a load, and no accessor keeps the pointer.
    public let byteCount: Int
    /// The allocation (at least `byteCount` bytes, page-rounded for hypercall memory).
    fileprivate let base: UnsafeMutableRawPointer
    private let release: @Sendable (UnsafeMutableRawPointer) -> Void
    /// How the memory was obtained, for logs and tests.
    public let origin: Origin

    public enum Origin: String, Sendable {
        /// libxenctrl hypercall buffer pages (`/dev/xen/hypercall`).
        case hypercall
        /// Locked, fork-private anonymous pages (libxencall's own fallback).
        case lockedMemory
        /// Ordinary heap memory (tests).
        case heap
    }

    /// Takes ownership of `base` (`byteCount` readable and writable bytes, zero-filled);
    /// `release` is called once, from `deinit`.
    init(adopting base: UnsafeMutableRawPointer, byteCount: Int, origin: Origin,
         release: @escaping @Sendable (UnsafeMutableRawPointer) -> Void) {
        self.base = base
        self.byteCount = byteCount
        self.origin = origin
        self.release = release
    }

    /// Ordinary zero-filled heap memory (tests, and dry runs need nothing more).
    public static func heap(byteCount: Int) -> PayloadBuffer {
        let size = max(byteCount, 1)
        // SAFETY: allocate returns `size` bytes we own; they are zeroed before anyone reads
        // them and deallocated once by the release closure.
        let p = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        return PayloadBuffer(adopting: p, byteCount: byteCount, origin: .heap) { $0.deallocate() }
    }

    deinit {
        release(base)
    }

    /// Read access to the bytes; the pointer must not escape `body`.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        // SAFETY: `base` holds `byteCount` initialised bytes for as long as `self` lives, and
        // `self` is alive for the duration of the call.
        try body(UnsafeRawBufferPointer(start: base, count: byteCount))
    }

    /// Write access to the bytes; the pointer must not escape `body`.
    public func withUnsafeMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        // SAFETY: as above; the buffer is exclusively ours (never shared with Xen while a
        // writer runs: loads happen after filling).
        try body(UnsafeMutableRawBufferPointer(start: base, count: byteCount))
    }

    /// Copies `bytes` in at `offset` (generated segments: boot_params, ELF core header, …).
    public func write(_ bytes: [UInt8], at offset: Int) {
        precondition(offset >= 0 && offset + bytes.count <= byteCount, "write past the payload buffer")
        withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                // SAFETY: bounds checked above; source and destination are distinct allocations.
                dst.baseAddress!.advanced(by: offset).copyMemory(from: src.baseAddress!, byteCount: src.count)
            }
        }
    }

    /// Fills the buffer from `fd`, reading from offset 0 until `byteCount` bytes are in, and
    /// checks that the file ends exactly there (a file that grew or shrank while being read
    /// is refused by the caller).
    ///
    /// - Returns: `true` if the file held exactly `byteCount` bytes.
    public func fill(from fd: FileDescriptor) throws(Errno) -> Bool {
        var done = 0
        while done < byteCount {
            let n = try withUnsafeMutableBytes { (all: UnsafeMutableRawBufferPointer) throws(Errno) -> Int in
                // SAFETY: the rebased slice lies inside the buffer (done < byteCount) and is
                // only used for this one read.
                let rest = UnsafeMutableRawBufferPointer(rebasing: all[done...])
                return try Errno.catching { try fd.read(fromAbsoluteOffset: Int64(done), into: rest) }
            }
            if n == 0 { return false }
            done += n
        }
        var probe: UInt8 = 0
        let extra = try Swift.withUnsafeMutableBytes(of: &probe) { (p: UnsafeMutableRawBufferPointer) throws(Errno) -> Int in
            // SAFETY: a one-byte local that outlives the read.
            try Errno.catching { try fd.read(fromAbsoluteOffset: Int64(byteCount), into: p) }
        }
        return extra == 0
    }
}

extension PayloadBuffer {
    /// The start of the allocation, for `xen_kexec_segment_t.buf.h` only. The caller must
    /// keep the buffer alive for as long as the address is in use (XenctrlHypervisor does,
    /// with `withExtendedLifetime`).
    var addressForHypercall: UnsafeMutableRawPointer { base }
}

/// A payload buffer as a read-only collection of bytes: what the planner reads and hashes.
/// It holds the buffer, so it stays valid as long as it is used; `Sendable` because the
/// bytes are not written once a plan is being made.
public struct PayloadBytes: RandomAccessCollection, @unchecked Sendable {
    public let buffer: PayloadBuffer

    public init(_ buffer: PayloadBuffer) {
        self.buffer = buffer
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { buffer.byteCount }

    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < buffer.byteCount, "index out of range")
        // SAFETY: bounds checked above; `buffer` is alive (we hold it).
        return buffer.base.load(fromByteOffset: position, as: UInt8.self)
    }

    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        // SAFETY: the memory was initialised as bytes (zero-fill, then file reads or copies);
        // the pointer does not outlive `body`, and `buffer` is alive for the call.
        try withExtendedLifetime(buffer) {
            try body(UnsafeBufferPointer(start: buffer.base.assumingMemoryBound(to: UInt8.self), count: buffer.byteCount))
        }
    }
}

/// The payload as `ContiguousBytes`/`DataProtocol`: how KexecPlan's `PlanDigest` hashes a
/// range of it in place (swift-crypto's `update(data:)` reads the one region) without
/// touching a pointer itself.
extension PayloadBytes: ContiguousBytes, DataProtocol {
    public var regions: CollectionOfOne<PayloadBytes> { CollectionOfOne(self) }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        // SAFETY: the buffer's `byteCount` bytes are initialised (zero-fill, then file reads or
        // copies); the pointer does not outlive `body`, and `buffer` is alive for the call.
        try withExtendedLifetime(buffer) { try body(UnsafeRawBufferPointer(start: buffer.base, count: buffer.byteCount)) }
    }
}

extension PayloadBuffer {
    /// SHA-256 of the whole buffer, hashed in place (counted as a file digest by `SHA256Meter`).
    public func sha256() -> [UInt8] {
        SHA256Meter.record(byteCount, .file)
        // SAFETY: the pointer lives only for this call (`withUnsafeBytes`), which reads the
        // buffer's `byteCount` initialised bytes.
        return withUnsafeBytes { Array(SHA256.hash(data: $0)) }
    }
}

extension PayloadSlice {
    /// SHA-256 of the slice's bytes, hashed in place.
    public func sha256() -> [UInt8] {
        // SAFETY: `range` lies inside the buffer (checked by `init`); the rebased pointer lives
        // only for this call.
        buffer.withUnsafeBytes { all in Array(SHA256.hash(data: UnsafeRawBufferPointer(rebasing: all[range]))) }
    }
}
