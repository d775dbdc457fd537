import KexecPlan

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

/// One `xen_kexec_segment_t` exactly as it is sent to Xen.
public struct KexecSegment: Sendable {
    /// `buf.h` + `buf_size`; `nil` for a buffer-less (map only) segment.
    public var payload: PayloadSlice?
    /// `dest_maddr`.
    public var dest: UInt64
    /// `dest_size`.
    public var destSize: UInt64

    public init(payload: PayloadSlice?, dest: UInt64, destSize: UInt64) {
        self.payload = payload
        self.dest = dest
        self.destSize = destSize
    }

    /// `buf_size`.
    public var bufSize: UInt64 { UInt64(payload?.count ?? 0) }
}

/// The arguments of `xc_kexec_load`, raw: any type and arch value can be expressed, so the
/// differential test runner can send what the planner never would.
public struct KexecLoadRequest: Sendable {
    /// `type`: 0 default, 1 crash, 3 crash-efi (and anything else, for tests).
    public var type: UInt8
    /// `arch`: ELF machine (62 = EM_X86_64).
    public var arch: UInt16
    /// `entry_maddr` (the `parameters` value for crash-efi).
    public var entryMaddr: UInt64
    public var segments: [KexecSegment]

    public init(type: UInt8, arch: UInt16, entryMaddr: UInt64, segments: [KexecSegment]) {
        self.type = type
        self.arch = arch
        self.entryMaddr = entryMaddr
        self.segments = segments
    }

    /// The load type, if it is one this project knows.
    public var loadType: LoadType? { LoadType(rawValue: type) }
}
