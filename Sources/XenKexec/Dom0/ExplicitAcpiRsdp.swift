import KexecPlan

/// An ACPI RSDP address the administrator gave (`--acpi-rsdp`, `XEN_KEXEC_ACPI_RSDP`).
public struct ExplicitAcpiRsdp: Equatable, Sendable {
    public var address: UInt64
    public var source: AcpiRsdpSource

    public init(address: UInt64, source: AcpiRsdpSource) {
        self.address = address
        self.source = source
    }
}
