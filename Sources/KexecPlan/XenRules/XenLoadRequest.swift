/// One `xen_kexec_segment_t` as Xen sees it: no bytes, only what its checks read.
public struct XenSegmentDescriptor: Equatable, Hashable, Sendable {
    /// `buf.h` is non-NULL.
    public var hasBuffer: Bool
    /// `buf_size`.
    public var bufSize: UInt64
    /// `dest_maddr`.
    public var dest: UInt64
    /// `dest_size`.
    public var destSize: UInt64

    public init(hasBuffer: Bool, bufSize: UInt64, dest: UInt64, destSize: UInt64) {
        self.hasBuffer = hasBuffer
        self.bufSize = bufSize
        self.dest = dest
        self.destSize = destSize
    }
}

/// A raw, hypercall-shaped `KEXEC_CMD_kexec_load` request: any type byte, any arch, any
/// segment array — exactly what reaches Xen, so `XenRules` can be compared case by case with
/// the real hypervisor.
///
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` (`xen_kexec_load_t`).
public struct XenLoadRequest: Equatable, Sendable {
    /// `type` (u8): 0 DEFAULT, 1 CRASH, 3 CRASH_EFI; anything else is refused by Xen.
    public var type: UInt8
    /// `arch` (u16): ELF machine, `EM_386` 3 or `EM_X86_64` 62.
    public var arch: UInt16
    /// `entry_maddr` (for type 3: `parameters`, the boot_params address).
    public var entry: UInt64
    public var segments: [XenSegmentDescriptor]
    /// For type 3: the first bytes (at least 0x26C; more is ignored) of segment 0's buffer,
    /// which Xen reads back from the destination to find the kernel's setup header.
    public var segment0Prefix: [UInt8]

    /// Bytes of segment 0 that the type-3 rules read (the setup header up to `init_size`).
    public static let segment0PrefixLength = 0x270

    public init(type: UInt8, arch: UInt16, entry: UInt64, segments: [XenSegmentDescriptor], segment0Prefix: [UInt8] = []) {
        self.type = type
        self.arch = arch
        self.entry = entry
        self.segments = segments
        self.segment0Prefix = segment0Prefix
    }
}

extension XenLoadRequest {
    /// The request a plan turns into: the one converter (`Planner.xenRequest(for:image:)` calls
    /// it with segment 0's first bytes when the plan is KEXEC_TYPE_CRASH_EFI).
    public init(plan: LoadPlan, segment0Prefix: [UInt8] = []) {
        self.init(
            type: plan.type.rawValue, arch: plan.arch, entry: plan.entryOrParameters,
            segments: plan.segments.map {
                XenSegmentDescriptor(hasBuffer: !$0.isBufferless, bufSize: $0.bufSize, dest: $0.dest, destSize: $0.destSize)
            },
            segment0Prefix: segment0Prefix
        )
    }
}
