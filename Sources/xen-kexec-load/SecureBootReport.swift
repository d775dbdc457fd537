import XenKexec

/// dom0's Secure Boot state as `status --json` and `range` show it: whether the policy
/// applies, which source decided, and what every source said (``SecureBootState``).
struct SecureBootReport: Encodable, Equatable {
    struct Source: Encodable, Equatable {
        var source: String
        var answer: String
        var detail: String
        var note: String?
    }

    /// Whether a load is verified by default (without `--require-signature`).
    var policyApplies: Bool
    /// `lockdown`, `boot_params.secure_boot`, `efivarfs SecureBoot`, `cannot-tell` or `none`.
    var decidedBy: String
    var because: String?
    var firmware: String
    var sources: [Source]

    init(_ state: SecureBootState) {
        policyApplies = state.enforcedBecause != nil
        decidedBy = state.decidedBy
        because = state.enforcedBecause
        firmware = state.firmware.rawValue
        sources = state.readings.map { Source(source: $0.source, answer: $0.answer.rawValue, detail: $0.detail, note: $0.note) }
    }

    /// One line for `range` and `status`.
    var line: String {
        "secure boot policy: " + (because.map { "applies: \($0)" } ?? "does not apply (" + sources.map { "\($0.source): \($0.detail)" }.joined(separator: "; ") + ")")
    }
}
