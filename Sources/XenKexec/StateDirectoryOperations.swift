import SystemPackage

/// The file operations ``ArmedImageStore`` performs in its state directory, each returning
/// the `Errno` of the system call that failed. The store uses ``SystemStateDirectory`` (the
/// real calls); the unit tests' fault campaign wraps it to fail or stop at any one of them.
protocol StateDirectoryOperations: Sendable {
    /// `mkdir -p` (an existing directory is fine).
    func makeDirectory(_ path: FilePath, permissions: FilePermissions) throws(Errno)
    /// `open(O_WRONLY | O_CREAT | O_TRUNC)`, `write` of every byte, `fsync`, `close`.
    func writeDurably(_ path: FilePath, _ bytes: [UInt8], permissions: FilePermissions) throws(Errno)
    /// `rename(from, to)`.
    func rename(_ from: FilePath, to: FilePath) throws(Errno)
    /// `unlink(path)`; a missing file is not an error.
    func removeFile(_ path: FilePath) throws(Errno)
    /// Up to `limit` bytes of the file (`open`, `read` until end of file).
    func readFile(_ path: FilePath, limit: Int) throws(Errno) -> [UInt8]
    /// Whether `path` exists (`stat`).
    func exists(_ path: FilePath) -> Bool
}

/// ``StateDirectoryOperations`` by the system calls themselves.
struct SystemStateDirectory: StateDirectoryOperations {
    func makeDirectory(_ path: FilePath, permissions: FilePermissions) throws(Errno) {
        try SystemCalls.makeDirectory(path, permissions: permissions)
    }

    func writeDurably(_ path: FilePath, _ bytes: [UInt8], permissions: FilePermissions) throws(Errno) {
        let fd = try Errno.catching {
            try FileDescriptor.open(path, .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: permissions)
        }
        do throws(Errno) {
            _ = try Errno.catching { try fd.writeAll(bytes) }
            try SystemCalls.sync(fd)
        } catch {
            try? fd.close()
            throw error
        }
        try Errno.catching { try fd.close() }
    }

    func rename(_ from: FilePath, to: FilePath) throws(Errno) {
        try SystemCalls.rename(from, to: to)
    }

    func removeFile(_ path: FilePath) throws(Errno) {
        try SystemCalls.removeFile(path)
    }

    func readFile(_ path: FilePath, limit: Int) throws(Errno) -> [UInt8] {
        try SystemCalls.readFile(path, limit: limit)
    }

    func exists(_ path: FilePath) -> Bool {
        (try? path.stat()) != nil
    }
}
