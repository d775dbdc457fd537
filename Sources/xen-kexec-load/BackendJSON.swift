import FoundationEssentials
import KexecPlan
import XenKexec

/// JSON documents of the backend commands that the planner's `PlanJSON` does not cover
/// (status, unload, errors). Plans and host descriptions use `PlanJSON` itself, so
/// `load --json` prints what `plan --json` prints and `range --json` writes what
/// `plan --host FILE` reads. Same conventions: `0x…` addresses, sorted keys.
enum BackendJSON {
    struct FileEntry: Encodable {
        var path: String
    }

    struct Record: Encodable {
        var type: String
        var state: String
        var digest: String
        var kernel: FileEntry
        var initrd: FileEntry?
        var commandLine: String
        var segments: Int
        var loadedAt: Int64
        var xenStatusBit: Bool
        /// The `lockdown=` level the kernel was armed with under the Secure Boot policy.
        var lockdown: String?

        init(_ r: ArmedImageRecord) {
            lockdown = r.lockdown?.rawValue
            type = r.type.name
            state = r.state.rawValue
            digest = r.digest
            kernel = FileEntry(path: r.kernel.path)
            initrd = r.initrd.map { FileEntry(path: $0.path) }
            commandLine = r.commandLine
            segments = r.segmentCount
            loadedAt = r.loadedAt
            xenStatusBit = r.xenStatusBit
        }
    }

    struct Status: Encodable {
        var schemaVersion = PlanJSON.schemaVersion
        var slot: String
        var state: String
        var armed: Bool
        var xenStatusBit: Bool?
        var record: Record?
        var message: String
        /// dom0's Secure Boot state, read when status ran.
        var secureBoot: SecureBootReport?
    }

    /// An error on `--json`: `PlanJSON.Failure`'s fields (`schemaVersion`, `error`) plus a
    /// stable `kind` and the exit code.
    struct Failure: Encodable {
        var schemaVersion = PlanJSON.schemaVersion
        var error: String
        var kind: String
        var exitCode: Int32
    }

    /// `PlanJSON.encode` (the one encoder: sorted keys, pretty, unescaped slashes), without
    /// its final newline (`Output.json` adds one).
    static func encode(_ value: some Encodable) -> String {
        var text = PlanJSON.encode(value)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    static func error(kind: String, message: String, exitCode: Int32) -> String {
        encode(Failure(error: message, kind: kind, exitCode: exitCode))
    }
}
