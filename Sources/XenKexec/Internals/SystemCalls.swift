#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

// The system calls of this target that swift-system 1.8 does not wrap (mkdir, rename,
// unlink, flock, fsync, geteuid, getenv), the one whole-file read loop and the positioned
// read behind `FileBytes`; each returning `Errno` like swift-system's own calls. Paths cross
// as Swift strings; the two read loops hand swift-system a buffer they own.

extension Errno {
    /// Runs a swift-system call declared with untyped `throws` and rethrows its `Errno`.
    @inline(__always)
    static func catching<T>(_ body: () throws -> T) throws(Errno) -> T {
        do {
            return try body()
        } catch let e as Errno {
            throw e
        } catch {
            throw Errno.ioError
        }
    }

    /// The calling thread's errno after a C call that reported failure.
    static var last: Errno { Errno(rawValue: Glibc.errno) }
}

/// `flock(2)`: Glibc also has a `struct flock`, which shadows the function by name.
private func lockFile(_ fd: Int32, _ operation: Int32) -> Int32 {
    let call: (Int32, Int32) -> Int32 = Glibc.flock(_:_:)
    return call(fd, operation)
}

enum SystemCalls {
    /// `mkdir -p`: creates `path` and any missing parents; existing directories are fine
    /// (a minimal initramfs may have no `/run` yet).
    static func makeDirectory(_ path: FilePath, permissions: FilePermissions) throws(Errno) {
        if Glibc.mkdir(path.string, permissions.rawValue) == 0 { return }
        var e = Errno.last
        if e == .fileExists { return }
        if e == .noSuchFileOrDirectory {
            var parent = path
            if parent.removeLastComponent(), !parent.isEmpty, parent != path {
                try makeDirectory(parent, permissions: permissions)
                if Glibc.mkdir(path.string, permissions.rawValue) == 0 { return }
                e = Errno.last
                if e == .fileExists { return }
            }
        }
        throw e
    }

    /// `rename(from, to)`: atomic replacement within one file system.
    static func rename(_ from: FilePath, to: FilePath) throws(Errno) {
        if Glibc.rename(from.string, to.string) != 0 { throw Errno.last }
    }

    /// `unlink(path)`; a missing file is not an error.
    static func removeFile(_ path: FilePath) throws(Errno) {
        if Glibc.unlink(path.string) != 0 {
            let e = Errno.last
            if e != .noSuchFileOrDirectory { throw e }
        }
    }

    /// `flock(fd, LOCK_EX | LOCK_NB)`: `true` if taken, `false` if someone else holds it.
    static func tryExclusiveLock(_ fd: FileDescriptor) throws(Errno) -> Bool {
        while true {
            if lockFile(fd.rawValue, LOCK_EX | LOCK_NB) == 0 { return true }
            let e = Errno.last
            if e == .interrupted { continue }
            if e == .wouldBlock || e == .resourceTemporarilyUnavailable { return false }
            throw e
        }
    }

    /// `fsync(fd)`.
    static func sync(_ fd: FileDescriptor) throws(Errno) {
        if Glibc.fsync(fd.rawValue) != 0 { throw Errno.last }
    }

    /// Up to `limit` bytes of a regular file: `open`, `fstat` (a directory is `EISDIR`, any
    /// other non-regular file `EINVAL`), `read(2)` until end of file, `close`. The file's size
    /// is never used: procfs reports 0 and sysfs attributes answer in pieces.
    static func readFile(_ path: FilePath, limit: Int) throws(Errno) -> [UInt8] {
        let fd = try Errno.catching { try FileDescriptor.open(path, .readOnly, options: [.closeOnExec]) }
        defer { try? fd.close() }
        let type = try Errno.catching { try fd.stat().type }
        guard type == .regular else { throw type == .directory ? .isDirectory : .invalidArgument }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < limit {
            // SAFETY: the buffer pointer lives only for this read(2), which writes at most
            // chunk.count bytes into it.
            let n = try Errno.catching { try chunk.withUnsafeMutableBytes { try fd.read(into: $0) } }
            if n == 0 { break }
            bytes += chunk[..<min(n, limit - bytes.count)]
        }
        return bytes
    }

    /// Up to `count` bytes of `fd` from `offset` (`pread(2)` until `count` bytes or end of
    /// file): fewer only at end of file.
    static func read(_ fd: FileDescriptor, at offset: Int, count: Int) throws(Errno) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            // SAFETY: the rebased pointer lies inside `bytes` (done < count) and lives only for
            // this pread(2), which writes at most count - done bytes into it.
            let n = try Errno.catching {
                try bytes.withUnsafeMutableBytes { try fd.read(fromAbsoluteOffset: Int64(offset + done), into: UnsafeMutableRawBufferPointer(rebasing: $0[done...])) }
            }
            if n == 0 { break }
            done += n
        }
        if done < count { bytes.removeLast(count - done) }
        return bytes
    }

    /// `getenv(name)`.
    static func environment(_ name: String) -> String? {
        Glibc.getenv(name).map { String(cString: $0) }
    }

    /// `mount(type, path, type, 0, NULL)`: mounts a kernel pseudo file system (securityfs,
    /// efivarfs) at `path`; `nil` on success. Only root may.
    static func mount(type: String, at path: FilePath) -> Errno? {
        Glibc.mount(type, path.string, type, 0, nil) == 0 ? nil : Errno.last
    }

    /// Whether the directory at `path` lists any entry besides `.` and `..` (`opendir`,
    /// `readdir`); `false` when it cannot be opened.
    static func hasEntries(_ path: FilePath) -> Bool {
        guard let dir = Glibc.opendir(path.string) else { return false }
        defer { Glibc.closedir(dir) }
        while let entry = Glibc.readdir(dir) {
            // SAFETY: `entry` points at readdir's dirent, valid until the next readdir on
            // `dir`; d_name is a NUL-terminated array inside it, read here and not kept.
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { return true }
        }
        return false
    }

    /// Whether `path` names a directory (`stat`).
    static func isDirectory(_ path: FilePath) -> Bool {
        (try? path.stat())?.type == .directory
    }

    /// The effective user ID.
    static var effectiveUserID: UInt32 { Glibc.geteuid() }

    /// Sleeps for `milliseconds`.
    static func sleep(milliseconds: Int) {
        _ = Glibc.usleep(UInt32(milliseconds * 1000))
    }

    /// Seconds since the epoch.
    static var now: Int64 { Int64(Glibc.time(nil)) }
}
