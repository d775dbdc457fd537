import SystemPackage

extension FileBytes {
    /// Opens `path` for reading on demand (a dry run), with the checks ``LoadedFile/load(_:policy:allocate:)``
    /// makes on the open descriptor (regular file, not writable by group or others, owned by
    /// an allowed user).
    public static func open(_ path: FilePath, policy: FileTrustPolicy) throws(KexecError) -> FileBytes {
        let file: FileBytes
        do { file = try FileBytes.open(path) } catch { throw .fileUnavailable(path, error) }
        let st = file.source.stat
        if let problem = policy.problem(type: st.type, permissions: st.permissions, owner: st.userID.rawValue) {
            throw .untrustedFile(path, problem)
        }
        return file
    }
}
