import SystemPackage

/// Who may own and write a file this tool loads as a crash kernel or initrd. A crash kernel
/// runs with full privilege, so only root may be able to change it.
public struct FileTrustPolicy: Equatable, Sendable {
    /// Owners accepted (root only, unless a test says otherwise).
    public var allowedOwners: Set<UInt32>

    public init(allowedOwners: Set<UInt32> = [0]) {
        self.allowedOwners = allowedOwners
    }

    public static let rootOnly = FileTrustPolicy()

    /// The first problem with a file of this type, mode and owner, or `nil`.
    public func problem(type: FileType, permissions: FilePermissions, owner: UInt32) -> FileTrustProblem? {
        guard type == .regular else { return .notRegularFile }
        if !permissions.intersection([.groupWrite, .otherWrite]).isEmpty {
            return .writableByOthers(mode: UInt16(truncatingIfNeeded: permissions.rawValue & 0o7777))
        }
        guard allowedOwners.contains(owner) else { return .notOwnedByRoot(uid: owner) }
        return nil
    }
}

/// A kernel or initrd read into a payload buffer: checked, read once from one descriptor,
/// and hashed from the very bytes that will be loaded.
public struct LoadedFile: Sendable {
    public let path: FilePath
    public let payload: PayloadBuffer
    /// SHA-256 of the payload, lowercase hex.
    public let sha256: String

    /// Opens `path` once, checks the open descriptor (`fstat`: regular file, not writable by
    /// group or others, owned by an allowed user), allocates a payload buffer of the file's
    /// size from `allocate`, reads the file into it from the same descriptor and hashes it.
    public static func load(
        _ path: FilePath, policy: FileTrustPolicy,
        allocate: (Int) throws(KexecError) -> PayloadBuffer
    ) throws(KexecError) -> LoadedFile {
        let fd: FileDescriptor
        do {
            fd = try Errno.catching { try FileDescriptor.open(path, .readOnly, options: [.closeOnExec, .nonBlocking]) }
        } catch {
            throw .fileUnavailable(path, error)
        }
        defer { try? fd.close() }
        let st: Stat
        do { st = try fd.stat() } catch { throw .fileUnavailable(path, error) }
        if let problem = policy.problem(type: st.type, permissions: st.permissions, owner: st.userID.rawValue) {
            throw .untrustedFile(path, problem)
        }
        let size = Int(st.size)
        let payload = try allocate(size)
        let complete: Bool
        do { complete = try payload.fill(from: fd) } catch { throw .fileUnavailable(path, error) }
        guard complete else { throw .fileChanged(path) }
        return LoadedFile(path: path, payload: payload, sha256: Hex.sha256(payload))
    }
}
