/// A `KEXEC_CMD_kexec_load` request: what the planner builds, what `XenRules` checks and what
/// the backend sends, one value from the plan to the hypercall. The hypercall fields (`type`,
/// `arch`, `entry_maddr`, the segments) are kept raw, so that a test can express any request
/// Xen may receive; the rest describes the plan (`plan` output, the armed-image record).
///
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` (`xen_kexec_load_t`, C function
/// `xc_kexec_load`).
public struct KexecLoadRequest: Equatable, Sendable {
    /// `type` (u8): 0 KEXEC_TYPE_DEFAULT, 1 KEXEC_TYPE_CRASH, 3 KEXEC_TYPE_CRASH_EFI; Xen
    /// refuses anything else.
    public var type: UInt8
    /// `arch` (u16): ELF machine, `EM_386` 3 or `EM_X86_64` 62 (62 for every plan this
    /// project makes).
    public var arch: UInt16
    /// `entry_maddr`: the purgatory or kernel entry for the classic types; for
    /// KEXEC_TYPE_CRASH_EFI the same slot is `parameters`, the boot_params machine address.
    public var entryMaddr: UInt64
    /// `segments`: fewer than `KEXEC_SEGMENT_MAX` (16), in the order Xen receives them
    /// (segment 0 is the kernel for crash-efi).
    public var segments: [KexecSegment]
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

    /// A planned request.
    public init(
        type: LoadType, arch: UInt16 = KexecArch.x86_64, entryMaddr: UInt64,
        segments: [KexecSegment], commandLine: String, e820: [MemoryRange],
        crashRegion: AddressRange?, digest: [UInt8], kernelEntry: UInt64
    ) {
        self.init(rawType: type.rawValue, arch: arch, entryMaddr: entryMaddr, segments: segments)
        self.commandLine = commandLine
        self.e820 = e820
        self.crashRegion = crashRegion
        self.digest = digest
        self.kernelEntry = kernelEntry
    }

    /// A raw request: any type byte, any arch, any segments (the differential test's cases,
    /// the rules' unit tests); nothing planned beyond the hypercall fields.
    public init(rawType: UInt8, arch: UInt16, entryMaddr: UInt64, segments: [KexecSegment]) {
        self.type = rawType
        self.arch = arch
        self.entryMaddr = entryMaddr
        self.segments = segments
        self.commandLine = ""
        self.e820 = []
        self.crashRegion = nil
        self.digest = []
        self.kernelEntry = 0
    }

    /// The load type, if `type` is one this project knows.
    public var loadType: LoadType? { LoadType(rawValue: type) }
    /// The name of `type` (`crash-efi`, …; `type N` for a byte no load type has).
    public var typeName: String { loadType?.name ?? "type \(type)" }
}
