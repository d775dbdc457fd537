import KexecPlan
import SystemPackage

/// The directory of ``ArmedImageRecord`` files, one per slot (`crash.record`,
/// `default.record`). Writes are atomic (temporary file, `fsync`, `rename`), so a reader
/// never sees half a record; callers that write hold the instance lock.
///
/// An unload keeps the slot's last record as `<slot>.unloaded` (``retire(slot:)``), so that a
/// `provision` that fails right after it (`systemctl restart` runs the unit's unload first)
/// can re-arm the image that was armed before; the next record written replaces it.
public struct ArmedImageStore: Sendable {
    /// `/run/xen-kexec-load`.
    public static let defaultDirectory: FilePath = "/run/xen-kexec-load"

    public let directory: FilePath
    /// The current boot ID; a record from another boot (a `/run` that is not a tmpfs) is
    /// ignored.
    public let bootID: String?
    /// The system calls on the directory (``SystemStateDirectory`` outside the unit tests).
    let files: any StateDirectoryOperations

    public init(directory: FilePath = ArmedImageStore.defaultDirectory, bootID: String? = ArmedImageStore.currentBootID()) {
        self.init(directory: directory, bootID: bootID, files: SystemStateDirectory())
    }

    init(directory: FilePath, bootID: String?, files: any StateDirectoryOperations) {
        self.directory = directory
        self.bootID = bootID
        self.files = files
    }

    /// `/proc/sys/kernel/random/boot_id`, trimmed.
    public static func currentBootID() -> String? {
        XenHostObservation.readSmallFile("/proc/sys/kernel/random/boot_id")?.trimmingWhitespace()
    }

    /// The record file of `slot`.
    public func path(for slot: LoadType) -> FilePath {
        directory.appending("\(slot.slot.name).record")
    }

    /// What reading a slot's record found.
    public enum Lookup: Equatable, Sendable {
        case none
        case found(ArmedImageRecord)
        /// Written in an earlier boot: Xen's slots were emptied since.
        case staleBoot(ArmedImageRecord)
        /// The file exists but cannot be parsed.
        case unreadable(String)

        /// The record, if it describes this boot.
        public var record: ArmedImageRecord? {
            if case .found(let r) = self { return r }
            return nil
        }
    }

    /// Where ``retire(slot:)`` keeps the last record of `slot`.
    public func unloadedPath(for slot: LoadType) -> FilePath {
        directory.appending("\(slot.slot.name).unloaded")
    }

    public func read(slot: LoadType) -> Lookup {
        read(path(for: slot))
    }

    /// Whether an unloaded record of `slot` exists (`stat`; the record is not read).
    public func hasUnloaded(slot: LoadType) -> Bool {
        files.exists(unloadedPath(for: slot))
    }

    /// The record ``retire(slot:)`` kept: what this tool armed in `slot` before the last unload.
    public func readUnloaded(slot: LoadType) -> Lookup {
        read(unloadedPath(for: slot))
    }

    func read(_ file: FilePath) -> Lookup {
        if let distrust = untrusted(file) { return .unreadable(distrust) }
        let bytes: [UInt8]
        do { bytes = try files.readFile(file, limit: 1 << 20) } catch {
            return error == .noSuchFileOrDirectory ? .none : .unreadable("read failed: \(error)")
        }
        do {
            let record = try ArmedImageRecord.decode(String(decoding: bytes, as: UTF8.self))
            if let bootID, let recorded = record.bootID, recorded != bootID { return .staleBoot(record) }
            return .found(record)
        } catch {
            return .unreadable("\(error)")
        }
    }

    /// Why a record cannot be believed, or `nil`: the directory and the record must be the
    /// tool's user's alone (root in production), as the lock is (``InstanceLock``). `status`
    /// reads without the lock, so a directory another user made first (in a `/run` others
    /// can write) or a record another user wrote would otherwise decide what `status` says
    /// (`fault-lock-unprivileged`). A missing file is left to the read. The record is
    /// `lstat`ed: a link is refused.
    ///
    /// The corresponding C functions are `stat` and `lstat`.
    func untrusted(_ file: FilePath) -> String? {
        let policy = FileTrustPolicy(allowedOwners: [SystemCalls.effectiveUserID])
        for (path, isDirectory) in [(directory, true), (file, false)] {
            guard let st = try? path.stat(followTargetSymlink: isDirectory) else { continue }
            let type: FileType = isDirectory && st.type == .directory ? .regular : st.type
            if let problem = policy.problem(type: type, permissions: st.permissions, owner: st.userID.rawValue) {
                let why = switch problem {
                case .notRegularFile: "not a regular file"
                case .writableByOthers(let mode): "mode \(String(mode, radix: 8)), writable by others"
                case .notOwnedByRoot(let uid): "owned by uid \(uid)"
                }
                return "\(path) is not to be trusted (\(why)): another user could have written it"
            }
        }
        return nil
    }

    /// Replaces the record of the record's slot.
    ///
    /// - Parameter keepingUnloaded: keep the slot's unloaded record (a load in progress is
    ///   recorded before it is sent; only an armed image replaces the unloaded one).
    public func write(_ record: ArmedImageRecord, keepingUnloaded: Bool = false) throws(KexecError) {
        let final = path(for: record.slot)
        let temporary = directory.appending(".\(record.slot.name).record.tmp")
        do throws(Errno) {
            try files.makeDirectory(directory, permissions: [.ownerReadWriteExecute, .groupReadExecute, .otherReadExecute])
            try files.writeDurably(temporary, Array(record.encoded().utf8), permissions: [.ownerReadWrite, .groupRead, .otherRead])
            try files.rename(temporary, to: final)
        } catch {
            throw .recordUnwritable(final, error)
        }
        // A newer image is armed: the unloaded one is no longer the last good one.
        if keepingUnloaded { return }
        try? files.removeFile(unloadedPath(for: record.slot))
    }

    /// After an unload: keeps the record of `slot` as ``unloadedPath(for:)`` (a `rename`, so
    /// the slot's record is gone either way); nothing to keep is not an error.
    public func retire(slot: LoadType) throws(KexecError) {
        let file = path(for: slot)
        do throws(Errno) {
            try files.rename(file, to: unloadedPath(for: slot))
        } catch where error == .noSuchFileOrDirectory {
            return
        } catch {
            try remove(slot: slot)
        }
    }

    /// Forgets the unloaded record of `slot` (a deliberate `unload`).
    public func removeUnloaded(slot: LoadType) throws(KexecError) {
        let file = unloadedPath(for: slot)
        do { try files.removeFile(file) } catch { throw .recordUnwritable(file, error) }
    }

    /// Removes the record of `slot` (after an unload).
    public func remove(slot: LoadType) throws(KexecError) {
        let file = path(for: slot)
        do { try files.removeFile(file) } catch { throw .recordUnwritable(file, error) }
    }
}
