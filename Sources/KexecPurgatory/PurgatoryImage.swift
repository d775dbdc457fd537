/// The assembled purgatory segment: its bytes (the segment's buffer; Xen zeroes the rest of
/// the segment, which is the purgatory's stack), the entry Xen jumps to, and where the
/// SHA-256 its table checks against goes (written by `PurgatoryDigests.fill` once the other
/// segments are hashed).
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` (`entry_maddr` = load address + `entryOffset`).
public struct PurgatoryImage: Equatable, Sendable {
    public var bytes: [UInt8]
    /// Offset of the first instruction Xen runs.
    public var entryOffset: Int
    /// Offset of the 32-byte digest in the table.
    public var digestOffset: Int
}
