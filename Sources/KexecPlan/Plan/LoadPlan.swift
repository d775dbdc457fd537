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

/// The files a plan reads from. The image file is what the user named (a bzImage, a UKI or
/// an ELF envelope); for a UKI the kernel and initrd are both ranges of it.
public enum InputFile: String, Sendable, Codable {
    case image
    case initrd
}

/// Where a segment's bytes come from. File ranges are not copied by the planner: the
/// backend reads them straight into hypercall memory.
public enum SegmentSource: Equatable, Sendable {
    /// No buffer: Xen only maps (and for crash types zeroes nothing of) the destination.
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

/// One `xen_kexec_segment_t` of a plan.
public struct PlannedSegment: Equatable, Sendable {
    public var role: SegmentRole
    /// `dest_maddr`: where Xen puts the bytes.
    public var dest: UInt64
    /// `dest_size`: bytes reserved at `dest`; `[bufSize, destSize)` is zeroed by Xen.
    public var destSize: UInt64
    public var source: SegmentSource
    /// SHA-256 of the buffer bytes (nil for a buffer-less segment).
    public var sha256: [UInt8]?

    public init(role: SegmentRole, dest: UInt64, destSize: UInt64, source: SegmentSource, sha256: [UInt8]? = nil) {
        self.role = role
        self.dest = dest
        self.destSize = destSize
        self.source = source
        self.sha256 = sha256
    }

    /// `buf_size`.
    public var bufSize: UInt64 { UInt64(source.byteCount) }
    /// True if the segment carries no buffer (Xen's crash-area check skips these).
    public var isBufferless: Bool { if case .none = source { true } else { false } }
    /// `[dest, dest + destSize)`.
    public var destination: AddressRange { AddressRange(start: dest, size: destSize) }
}

/// A complete `KEXEC_CMD_kexec_load` request, checked against `XenRules`.
public struct LoadPlan: Equatable, Sendable {
    public var type: LoadType
    /// ELF machine (`EM_X86_64` = 62 for every plan this project makes).
    public var arch: UInt16
    /// `entry_maddr`: the purgatory or kernel entry for classic types; for
    /// KEXEC_TYPE_CRASH_EFI the *parameters* value, i.e. the boot_params machine address.
    public var entryOrParameters: UInt64
    /// At most 15 segments, in the order they are passed to Xen (segment 0 is the kernel for crash-efi).
    public var segments: [PlannedSegment]
    /// The command line the new kernel receives.
    public var commandLine: String
    /// The e820 table written into boot_params.
    public var e820: [MemoryRange]
    /// The crash region the plan was made for (crash types).
    public var crashRegion: AddressRange?
    /// SHA-256 over every segment's buffer bytes in segment order: the digest Xen computes
    /// at load for crash types (v2 series, patch 1/7) and re-checks before jumping.
    public var digest: [UInt8]
    /// For KEXEC_TYPE_CRASH_EFI, the entry Xen will compute (`dest0 + kern16 + 0x200`);
    /// for the classic types the kernel's 64-bit entry that the purgatory jumps to.
    public var kernelEntry: UInt64

    public init(
        type: LoadType, arch: UInt16 = KexecArch.x86_64, entryOrParameters: UInt64,
        segments: [PlannedSegment], commandLine: String, e820: [MemoryRange],
        crashRegion: AddressRange?, digest: [UInt8], kernelEntry: UInt64
    ) {
        self.type = type
        self.arch = arch
        self.entryOrParameters = entryOrParameters
        self.segments = segments
        self.commandLine = commandLine
        self.e820 = e820
        self.crashRegion = crashRegion
        self.digest = digest
        self.kernelEntry = kernelEntry
    }
}
