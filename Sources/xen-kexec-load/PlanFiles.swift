import SystemPackage
import XenKexec

/// File access for `plan`: whole files read with swift-system into one buffer each (no
/// Foundation file APIs), and `--emit` output. Errors are swift-system `Errno`s.
enum PlanFiles {
    /// Reads the whole file at `path` until end of file. The size `stat` reports is not
    /// used: procfs files report 0 (Linux fs/proc), so only the type is checked (a directory
    /// or a device is refused).
    static func read(_ path: String) throws -> [UInt8] {
        let type = try FilePath(path).stat().type
        guard type == .regular else { throw type == .directory ? Errno.isDirectory : Errno.invalidArgument }
        return try HostFiles.read(FilePath(path))
    }

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
