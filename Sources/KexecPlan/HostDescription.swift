/// What the planner needs to know about the Xen host, in one value.
///
/// Online it comes from the hypervisor (`KEXEC_CMD_kexec_get_range` for the crash region,
/// the CPU notes, VMCOREINFO and the Xen image; `XENMEM_machine_memory_map` for the map)
/// and from dom0's sysfs (firmware and ACPI RSDP);
/// offline it comes from `--crash-region SIZE@BASE` or from the JSON that
/// `xen-kexec-load range --json` writes in dom0 — so a plan made offline from that JSON is
/// byte for byte the plan `load --dry-run` makes in dom0.
public struct HostDescription: Equatable, Sendable {
    /// `KEXEC_RANGE_MA_CRASH`: the region Xen reserved with its `crashkernel=` option.
    /// `nil` (Xen answers {0, 0}) when nothing is reserved.
    public var crashRegion: AddressRange?
    /// Xen's machine memory map (host e820), sorted by start address.
    public var memoryMap: [MemoryRange]
    /// `KEXEC_RANGE_MA_CPU`, one per physical CPU: Xen's per-CPU crash notes.
    public var cpuNotes: [AddressRange]
    /// `KEXEC_RANGE_MA_VMCOREINFO`: Xen's VMCOREINFO note.
    public var vmcoreInfo: AddressRange?
    /// dom0's own (Linux) VMCOREINFO note, as a machine address range: what
    /// `/sys/kernel/vmcoreinfo` says on a PV dom0 (``ElfCoreHeader`` adds it after Xen's so
    /// that makedumpfile can read dom0's kernel in the dump). `nil` when unknown.
    public var dom0VmcoreInfo: AddressRange? = nil
    /// `KEXEC_RANGE_MA_XEN`: the hypervisor image.
    public var xenImage: AddressRange?
    /// How the host booted (decides whether a missing RSDP is an error; see ``HostFirmware``).
    public var firmware: HostFirmware
    /// The ACPI RSDP's machine address, if known: every plan writes it to boot_params
    /// `acpi_rsdp_addr` (0x070), crash plans also append `acpi_rsdp=` to the command line.
    public var acpiRsdp: UInt64?
    /// Where ``acpiRsdp`` came from (`nil`: unknown, e.g. an older host description).
    public var acpiRsdpSource: AcpiRsdpSource?
    /// The bytes at ``acpiRsdp`` as dom0 read them (`/dev/mem`, 36 bytes), for
    /// ``AcpiRsdpCheck`` to validate as the new kernel will (``AcpiRsdp``); `nil` when they
    /// could not be read (lockdown forbids `/dev/mem`) or for an offline host description.
    public var acpiRsdpBytes: [UInt8]? = nil
    /// The host's physical address width in bits (CPUID 0x80000008 EAX[7:0]), if known;
    /// `PhysicalAddressWidth` checks every address against it (52 when unknown).
    public var physicalAddressBits: Int? = nil

    public init(
        crashRegion: AddressRange?,
        memoryMap: [MemoryRange] = [],
        cpuNotes: [AddressRange] = [],
        vmcoreInfo: AddressRange? = nil,
        xenImage: AddressRange? = nil,
        acpiRsdp: UInt64? = nil,
        acpiRsdpSource: AcpiRsdpSource? = nil,
        firmware: HostFirmware = .unknown
    ) {
        self.crashRegion = crashRegion
        self.memoryMap = memoryMap
        self.cpuNotes = cpuNotes
        self.vmcoreInfo = vmcoreInfo
        self.xenImage = xenImage
        self.acpiRsdp = acpiRsdp
        self.acpiRsdpSource = acpiRsdpSource
        self.firmware = firmware
    }
}
