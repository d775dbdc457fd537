import KexecPlan

/// What dom0 can tell about the host's firmware: how it booted and where the ACPI RSDP is.
public struct FirmwareFacts: Equatable, Sendable {
    public var firmware: HostFirmware
    /// Why ``firmware`` was decided so, in words (for `-v` and `range`).
    public var firmwareEvidence: String
    public var acpiRsdp: UInt64?
    public var acpiRsdpSource: AcpiRsdpSource?
    /// The bytes at ``acpiRsdp`` read from dom0's `/dev/mem` (36), `nil` if unreadable.
    public var acpiRsdpBytes: [UInt8]?
    /// What each source said, in the order tried (for `-v`).
    public var notes: [String]
    /// What the administrator should know even without `-v`: that a crash kernel may boot
    /// without ACPI and nothing could tell (logged as warnings by every command that plans).
    public var warnings: [String] = []

    public init(
        firmware: HostFirmware, firmwareEvidence: String, acpiRsdp: UInt64? = nil,
        acpiRsdpSource: AcpiRsdpSource? = nil, notes: [String] = []
    ) {
        self.firmware = firmware
        self.firmwareEvidence = firmwareEvidence
        self.acpiRsdp = acpiRsdp
        self.acpiRsdpSource = acpiRsdpSource
        self.notes = notes
    }
}
