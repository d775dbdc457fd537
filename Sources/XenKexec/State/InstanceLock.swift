import SystemPackage

/// One `xen-kexec-load` at a time: an exclusive `flock` on a lock file, held until
/// ``release()`` or until the process exits (the kernel drops the lock with the descriptor).
///
/// The lock lives in a directory only root can enter (`/run/xen-kexec-load`, 0700), is opened
/// with `O_NOFOLLOW`, and must be a regular file that root owns and only root can write: a
/// lock any local user could create or open first (as in the world-writable `/run/lock`)
/// would let that user stop every load. Anything else is refused (``KexecError/lockUntrusted(_:_:)``).
public final class InstanceLock {
    /// `/run/xen-kexec-load/lock`.
    public static let defaultPath: FilePath = "/run/xen-kexec-load/lock"

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
        owner: FileTrustPolicy? = nil,
        onWait: () -> Void = {}
    ) throws(KexecError) -> InstanceLock {
        // The user this tool runs as (root in production) must be the only one who can write.
        let owner = owner ?? FileTrustPolicy(allowedOwners: [SystemCalls.effectiveUserID])
        let fd: FileDescriptor
        do {
            if let parent = parentDirectory(of: path) {
                try SystemCalls.makeDirectory(parent, permissions: [.ownerReadWriteExecute])
                let st = try Errno.catching { try parent.stat(retryOnInterrupt: true) }
                if let problem = owner.problem(type: st.type == .directory ? .regular : st.type, permissions: st.permissions, owner: st.userID.rawValue) {
                    throw LockRefusal(path: parent, problem: problem)
                }
            }
            fd = try Errno.catching {
                try FileDescriptor.open(path, .readWrite, options: [.create, .closeOnExec, .noFollow], permissions: [.ownerReadWrite])
            }
        } catch let refusal as LockRefusal {
            throw .lockUntrusted(refusal.path, refusal.problem)
        } catch let e as Errno {
            throw e == .tooManySymbolicLinkLevels ? .lockUntrusted(path, .notRegularFile) : .lockFailed(path, e)
        } catch {
            throw .lockFailed(path, .ioError)
        }
        do {
            let st = try fd.stat()
            if let problem = owner.problem(type: st.type, permissions: st.permissions, owner: st.userID.rawValue) {
                try? fd.close()
                throw LockRefusal(path: path, problem: problem)
            }
        } catch let refusal as LockRefusal {
            throw .lockUntrusted(refusal.path, refusal.problem)
        } catch {
            try? fd.close()
            throw .lockFailed(path, (error as? Errno) ?? .ioError)
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

    /// A lock file or directory that is not root's alone.
    struct LockRefusal: Error {
        let path: FilePath
        let problem: FileTrustProblem
    }

    private static func parentDirectory(of path: FilePath) -> FilePath? {
        var p = path
        guard p.removeLastComponent(), !p.isEmpty else { return nil }
        return p
    }
}
