import SystemPackage

/// The host's files and environment as the CLI needs them, so that the CLI makes no system
/// call of its own: every one goes through this target's `SystemCalls`.
public enum HostFiles {
    /// The whole regular file at `path`, read until end of file (never sized by `stat`:
    /// procfs files report 0), at most `limit` bytes: the one way this project reads a file
    /// into memory (`plan`'s host and digest files, `inspect`, `estimate`, the defaults files,
    /// dom0's sysfs and procfs files, the records). A kernel or initrd being loaded is read
    /// into payload memory instead (``LoadedFile``), or on demand (``FileBytes``).
    public static func read(_ path: FilePath, limit: Int = .max) throws(Errno) -> [UInt8] {
        try SystemCalls.readFile(path, limit: limit)
    }

    /// `mkdir -p` with mode 0755.
    public static func makeDirectory(_ path: FilePath) throws(Errno) {
        try SystemCalls.makeDirectory(path, permissions: [.ownerReadWriteExecute, .groupReadExecute, .otherReadExecute])
    }

    /// The environment variable `name`, if set (`getenv`).
    public static func environment(_ name: String) -> String? {
        SystemCalls.environment(name)
    }
}
