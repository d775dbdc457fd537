import KexecPlan
import SystemPackage

/// One hypercall-shaped load for the differential test (issue 8): any type, arch, entry and
/// segment array, sent without planning or preflight.
public struct RawLoadCase: Equatable, Sendable {
    public struct Segment: Equatable, Sendable {
        /// `buf.h` is non-NULL.
        public var hasBuffer: Bool
        public var bufSize: UInt64
        public var dest: UInt64
        public var destSize: UInt64

        public init(hasBuffer: Bool, bufSize: UInt64, dest: UInt64, destSize: UInt64) {
            self.hasBuffer = hasBuffer
            self.bufSize = bufSize
            self.dest = dest
            self.destSize = destSize
        }
    }

    public var id: String
    public var type: UInt8
    public var arch: UInt16
    public var entry: UInt64
    public var segments: [Segment]
    /// The first bytes of segment 0's buffer (a setup header for type-3 cases); the rest of
    /// every buffer is zeros.
    public var segment0Prefix: [UInt8]

    public init(id: String, type: UInt8, arch: UInt16, entry: UInt64, segments: [Segment], segment0Prefix: [UInt8] = []) {
        self.id = id
        self.type = type
        self.arch = arch
        self.entry = entry
        self.segments = segments
        self.segment0Prefix = segment0Prefix
    }
}

/// What Xen answered to a ``RawLoadCase``.
public struct RawLoadResult: Equatable, Sendable {
    public var id: String
    /// `nil`: accepted.
    public var errno: Errno?
    /// When an accepted load could not be unloaded again (the next case then runs over it).
    public var unloadErrno: Errno?

    public init(id: String, errno: Errno?, unloadErrno: Errno? = nil) {
        self.id = id
        self.errno = errno
        self.unloadErrno = unloadErrno
    }
}

/// Sends raw loads straight to Xen and unloads each accepted one, so the next case starts
/// from an empty slot. Test hosts only: it replaces whatever the slot held.
public struct RawLoadRunner {
    public let hypervisor: any KexecHypervisor
    /// Buffers larger than this are refused before anything is sent.
    public let maximumBufferBytes: UInt64

    public init(hypervisor: any KexecHypervisor, maximumBufferBytes: UInt64 = 256 << 20) {
        self.hypervisor = hypervisor
        self.maximumBufferBytes = maximumBufferBytes
    }

    public func run(_ c: RawLoadCase) throws(KexecError) -> RawLoadResult {
        var segments: [KexecSegment] = []
        for (i, s) in c.segments.enumerated() {
            guard s.hasBuffer else {
                segments.append(KexecSegment(payload: nil, dest: s.dest, destSize: s.destSize))
                continue
            }
            guard s.bufSize <= maximumBufferBytes else {
                throw .planFailed("case \(c.id): segment \(i) buffer of \(s.bufSize) bytes exceeds the runner's \(maximumBufferBytes)")
            }
            let n = Int(s.bufSize)
            let buffer: PayloadBuffer
            do { buffer = try hypervisor.allocatePayload(byteCount: n) } catch {
                throw .payloadAllocationFailed(bytes: n, errno: error.errno)
            }
            if i == 0 && !c.segment0Prefix.isEmpty {
                buffer.write(Array(c.segment0Prefix.prefix(n)), at: 0)
            }
            segments.append(KexecSegment(payload: PayloadSlice(buffer, range: 0..<n), dest: s.dest, destSize: s.destSize))
        }
        let request = KexecLoadRequest(type: c.type, arch: c.arch, entryMaddr: c.entry, segments: segments)
        do {
            try hypervisor.load(request)
        } catch {
            return RawLoadResult(id: c.id, errno: error.errno, unloadErrno: nil)
        }
        var unloadErrno: Errno?
        do { try hypervisor.unload(type: c.type == 0 ? 0 : 1) } catch { unloadErrno = error.errno }
        return RawLoadResult(id: c.id, errno: nil, unloadErrno: unloadErrno)
    }
}
