import ArgumentParser
import Logging
import SystemPackage
import XenKexec

/// Where the tool keeps its state and lock; hidden, for tests and unusual layouts. The
/// environment variables `XEN_KEXEC_LOAD_STATE_DIR` and `XEN_KEXEC_LOAD_LOCK` do the same.
struct StateOptions: ParsableArguments {
    @Option(name: .customLong("state-dir"), help: .hidden)
    var stateDirectory: String?

    @Option(name: .customLong("lock-file"), help: .hidden)
    var lockFile: String?

    @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for another xen-kexec-load to finish.")
    var lockTimeout: Int = 60

    var store: ArmedImageStore {
        let dir = stateDirectory ?? HostFiles.environment("XEN_KEXEC_LOAD_STATE_DIR")
        return ArmedImageStore(directory: dir.map { FilePath($0) } ?? ArmedImageStore.defaultDirectory)
    }

    var lockPath: FilePath {
        let path = lockFile ?? HostFiles.environment("XEN_KEXEC_LOAD_LOCK")
        return path.map { FilePath($0) } ?? InstanceLock.defaultPath
    }

    /// Takes the single-instance lock, saying so if it has to wait.
    func lock(_ logger: Logger) throws(KexecError) -> InstanceLock {
        try InstanceLock.acquire(lockPath, timeoutSeconds: lockTimeout) {
            logger.notice("waiting for another xen-kexec-load to release \(lockPath) (up to \(lockTimeout) s)")
        }
    }
}
