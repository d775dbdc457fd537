/// What a segment is for. Names appear in `plan` output and JSON.
public enum SegmentRole: String, Sendable, Codable, CaseIterable {
    /// The kernel: for KEXEC_TYPE_CRASH_EFI the whole image file, otherwise the protected-mode part.
    case kernel
    case initrd
    /// `struct boot_params` (zero page) followed by the command line.
    case bootParams
    /// The ELF core header the crash kernel finds with `elfcorehdr=`.
    case elfCoreHeader
    /// This project's purgatory stub (classic types only).
    case purgatory
    /// The buffer-less segment that maps `[0, 1 MiB)` 1:1 in Xen's kexec page tables.
    case lowMemoryMap
    /// A `setup_data` element chained from boot_params.
    case setupData
    /// Classic crash plans: the buffer-less area the purgatory copies low memory into at
    /// crash time, so the crash kernel can use low RAM and `/proc/vmcore` still has it.
    case backup
}

/// The files a request's segments read from. The image file is what the user named (a
/// bzImage, a UKI or an ELF envelope); for a UKI the kernel and initrd are both ranges of it.
public enum InputFile: String, Sendable, Codable {
    case image
    case initrd
}

/// Where a segment's bytes come from (`buf.h`). File ranges are not copied by the planner:
/// the backend points `buf.h` straight into the memory the file was read into.
public enum SegmentSource: Equatable, Sendable {
    /// No buffer (`buf.h` NULL): Xen only maps the destination.
    case none
    /// `range` of an input file, byte for byte.
    case file(InputFile, Range<Int>)
    /// Bytes the planner made (boot_params, ELF core header, purgatory).
    case generated([UInt8])

    /// `buf_size` in the hypercall.
    public var byteCount: Int {
        switch self {
        case .none: 0
        case .file(_, let r): r.count
        case .generated(let b): b.count
        }
    }
}

/// One `xen_kexec_segment_t` of a ``KexecLoadRequest``.
public struct KexecSegment: Equatable, Sendable {
    /// What the segment is for; `nil` in a raw request (the differential test's cases).
    public var role: SegmentRole?
    /// `dest_maddr`: where Xen puts the bytes.
    public var dest: UInt64
    /// `dest_size`: bytes reserved at `dest`; `[buf_size, dest_size)` is zeroed by Xen.
    public var destSize: UInt64
    /// `buf.h` and `buf_size`.
    public var source: SegmentSource
    /// SHA-256 of the buffer bytes (nil for a buffer-less segment, or when not asked for).
    public var sha256: [UInt8]?

    public init(role: SegmentRole?, dest: UInt64, destSize: UInt64, source: SegmentSource, sha256: [UInt8]? = nil) {
        self.role = role
        self.dest = dest
        self.destSize = destSize
        self.source = source
        self.sha256 = sha256
    }

    /// The role's name in output (`raw` for a segment without one).
    public var roleName: String { role?.rawValue ?? "raw" }
    /// `buf_size`.
    public var bufSize: UInt64 { UInt64(source.byteCount) }
    /// True if `buf.h` is NULL (Xen's crash-area check skips these segments).
    public var isBufferless: Bool { if case .none = source { true } else { false } }
    /// `buf.h` is non-NULL.
    public var hasBuffer: Bool { !isBufferless }
    /// `[dest, dest + destSize)`.
    public var destination: AddressRange { AddressRange(start: dest, size: destSize) }
}
