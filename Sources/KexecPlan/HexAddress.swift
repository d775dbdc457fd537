import KexecImage

/// Transitional: KexecImage's `hex(_:)` is the one `0x…` formatter; the remaining callers in
/// XenRules, Purgatory, PlanError, XenKexec and the CLI move to it, then this goes.
public func hexAddress(_ v: UInt64) -> String { hex(v) }
