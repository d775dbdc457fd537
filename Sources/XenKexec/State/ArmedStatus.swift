/// What `status` reports: this tool's record cross-checked with Xen's status bit.
///
/// Xen's bit flips on every load and unload of the slot (`kexec_swap_images` in
/// xen/common/kexec.c changes it), so it cannot say "loaded"; but after this tool's load it
/// has a known value, recorded with the image. If the bit still has that value, nothing has
/// loaded or unloaded the slot since (or an even number of operations did, which only
/// another tool could cause); if it differs, someone else touched the slot and the record
/// may be stale.
public enum ArmedStatus: Equatable, Sendable {
    /// The recorded image is armed and Xen's bit agrees.
    case armed(ArmedImageRecord)
    /// The record says armed, but Xen's bit flipped since: another tool loaded or unloaded
    /// this slot.
    case disagree(ArmedImageRecord, xenBit: Bool)
    /// The recorded image may have been damaged by a refused reload that was not restored.
    case possiblyDamaged(ArmedImageRecord)
    /// This tool armed nothing in this slot (in this boot). Xen's bit is reported as is.
    case notLoaded(xenBit: Bool)
    /// The record exists but cannot be read.
    case recordUnreadable(reason: String, xenBit: Bool)

    public static func evaluate(_ lookup: ArmedImageStore.Lookup, xenBit: Bool) -> ArmedStatus {
        switch lookup {
        case .none, .staleBoot:
            return .notLoaded(xenBit: xenBit)
        case .unreadable(let reason):
            return .recordUnreadable(reason: reason, xenBit: xenBit)
        case .found(let record):
            if record.state == .possiblyDamaged { return .possiblyDamaged(record) }
            if record.xenStatusBit != xenBit { return .disagree(record, xenBit: xenBit) }
            return .armed(record)
        }
    }

    /// True only when a crash kernel this tool vouches for is armed.
    public var isArmed: Bool {
        if case .armed = self { return true }
        return false
    }
}
