/// Why no purgatory could be assembled for the given addresses. Each case names the load
/// address; the planner reports them as an address overflow of its layout.
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` (the purgatory segment it would carry).
public enum PurgatoryError: Error, Equatable, Sendable {
    /// The stack (the top of the segment) is past the 64-bit address space.
    case stackAboveAddressSpace(loadAddress: UInt64)
    /// A label's absolute address is past the 64-bit address space.
    case labelsAboveAddressSpace(loadAddress: UInt64)
    /// Code, table and data take more than the segment leaves above its stack.
    case codeTooLarge(bytes: Int, room: Int)
}
