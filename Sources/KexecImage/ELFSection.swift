/// One section of an ELF envelope.
public struct ELFSection: Equatable, Sendable {
    /// Index in the section header table.
    public let index: Int
    /// Name from `.shstrtab`.
    public let name: String
    /// sh_type (1 PROGBITS, 3 STRTAB, 8 NOBITS, …).
    public let type: UInt32
    /// `[sh_offset, sh_offset + sh_size)`, checked to lie inside the file (empty for NOBITS).
    public let fileRange: Range<Int>
    /// File offset of the section header.
    public let headerOffset: Int
}
