import SystemPackage
import XenKexec

/// `plan --emit`'s output files, written with swift-system (no Foundation file APIs). Errors
/// are swift-system `Errno`s.
enum PlanFiles {
    /// Writes `bytes` to `path` (created or truncated, mode 0644).
    static func write(_ path: String, _ bytes: [UInt8]) throws {
        let fd = try FileDescriptor.open(
            FilePath(path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite, .groupRead, .otherRead])
        try fd.closeAfter { _ = try fd.writeAll(bytes) }
    }

    /// Creates `path` (and missing parents) as a directory unless it exists.
    static func makeDirectory(_ path: String) throws {
        try HostFiles.makeDirectory(FilePath(path))
    }
}
