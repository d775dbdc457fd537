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
