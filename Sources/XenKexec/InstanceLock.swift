import SystemPackage

/// One `xen-kexec-load` at a time: an exclusive `flock` on a lock file, held until
/// ``release()`` or until the process exits (the kernel drops the lock with the descriptor).
public final class InstanceLock {
    /// `/run/lock/xen-kexec-load.lock`.
    public static let defaultPath: FilePath = "/run/lock/xen-kexec-load.lock"

    public let path: FilePath
    private var fd: FileDescriptor?

    private init(path: FilePath, fd: FileDescriptor) {
        self.path = path
        self.fd = fd
    }

    /// Takes the lock, polling every `pollMilliseconds` until `timeoutSeconds` have passed.
    ///
    /// - Throws: ``KexecError/lockTimeout(_:seconds:)`` if another process held it the whole
    ///   time, ``KexecError/lockFailed(_:_:)`` if the file cannot be opened or locked.
    public static func acquire(
        _ path: FilePath = defaultPath, timeoutSeconds: Int, pollMilliseconds: Int = 100,
        onWait: () -> Void = {}
    ) throws(KexecError) -> InstanceLock {
        let fd: FileDescriptor
        do {
            if let parent = parentDirectory(of: path) {
                try SystemCalls.makeDirectory(parent, permissions: [.ownerReadWriteExecute, .groupReadExecute, .otherReadExecute])
            }
            fd = try Errno.catching {
                try FileDescriptor.open(path, .readWrite, options: [.create, .closeOnExec], permissions: [.ownerReadWrite, .groupRead, .otherRead])
            }
        } catch {
            throw .lockFailed(path, error)
        }
        var waitedMilliseconds = 0
        var announced = false
        while true {
            let taken: Bool
            do { taken = try SystemCalls.tryExclusiveLock(fd) } catch {
                try? fd.close()
                throw .lockFailed(path, error)
            }
            if taken { return InstanceLock(path: path, fd: fd) }
            if waitedMilliseconds >= timeoutSeconds * 1000 {
                try? fd.close()
                throw .lockTimeout(path, seconds: timeoutSeconds)
            }
            if !announced {
                onWait()
                announced = true
            }
            SystemCalls.sleep(milliseconds: pollMilliseconds)
            waitedMilliseconds += pollMilliseconds
        }
    }

    /// Releases the lock (closing the descriptor drops it).
    public func release() {
        try? fd?.close()
        fd = nil
    }

    deinit { release() }

    private static func parentDirectory(of path: FilePath) -> FilePath? {
        var p = path
        guard p.removeLastComponent(), !p.isEmpty else { return nil }
        return p
    }
}
