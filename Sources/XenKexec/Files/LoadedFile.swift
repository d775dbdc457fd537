import KexecImage
import SystemPackage

/// A kernel or initrd read into a payload buffer: checked and read once from one descriptor.
/// It is not hashed here: the plan's one SHA-256 pass over the payload (`PlanDigest`) hashes
/// the very bytes that will be loaded.
public struct LoadedFile: Sendable {
    public let path: FilePath
    public let payload: PayloadBuffer

    /// Opens `path` once, checks the open descriptor (`fstat`: regular file, not writable by
    /// group or others, owned by an allowed user), allocates a payload buffer of the file's
    /// size from `allocate` and reads the file into it from the same descriptor.
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
        return LoadedFile(path: path, payload: payload)
    }
}
