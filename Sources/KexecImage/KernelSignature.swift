/// Whether a kernel carries an Authenticode signature.
public enum KernelSignature: Equatable, Sendable {
    /// The kernel has no PE/COFF header (built without the EFI stub), so no signature.
    case noPEHeader
    /// A PE kernel without a certificate table: unsigned.
    case unsigned
    /// A PE kernel with a certificate table (offsets relative to the kernel's start).
    case signed(CertificateTable)

    init(pe: PEImage?) {
        switch pe?.certificateTable {
        case .some(let table): self = .signed(table)
        case .none: self = pe == nil ? .noPEHeader : .unsigned
        }
    }

    /// True for `.signed`.
    public var isSigned: Bool { if case .signed = self { true } else { false } }
}
