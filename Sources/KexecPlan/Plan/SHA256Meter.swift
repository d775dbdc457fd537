import Synchronization

/// Counts the bytes fed to SHA-256, for tests that prove each payload byte is hashed once
/// during a load (`$current.withValue(meter) { … }`). Outside such a scope `current` is nil
/// and nothing is counted. `PlanDigest` reports its bytes as `.plan`, the whole-file digests
/// that the armed-image record keeps report theirs as `.file`.
/// No hypercall: this observes the hashing that precedes `KEXEC_CMD_kexec_load`.
public final class SHA256Meter: Sendable {
    public enum Purpose: Sendable, CaseIterable { case plan, file }

    @TaskLocal public static var current: SHA256Meter?

    private let counts = Mutex<[Purpose: Int]>([:])

    public init() {}

    /// Adds `bytes` to the current meter, if any.
    public static func record(_ bytes: Int, _ purpose: Purpose) {
        current?.counts.withLock { $0[purpose, default: 0] += bytes }
    }

    /// Bytes counted for `purpose`.
    public func bytes(_ purpose: Purpose) -> Int { counts.withLock { $0[purpose, default: 0] } }

    /// Bytes counted for every purpose.
    public var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}
