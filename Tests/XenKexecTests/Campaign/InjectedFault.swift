import SystemPackage

/// One fault the campaign injects at one step of an operation.
enum InjectedFault: Hashable, Sendable, CustomStringConvertible {
    /// The hypercall, or the state directory's system call, fails with this errno.
    case errno(Errno)
    /// A write stops with this errno after half the bytes (a full disk, an I/O error).
    case tornWrite(Errno)
    /// The state directory was removed just before the step (`/run` wiped).
    case directoryMissing
    /// The record read is half a record (a torn or corrupted file).
    case tornRecord
    /// The process is killed just before the step: what it did so far stays, nothing after.
    case killed
    /// The process is killed in the middle of a write: the temporary file holds half the bytes.
    case killedMidWrite
    /// A file the operation reads is made faulty before it starts (``FileFault``).
    case file(FileFault)

    /// The table column of the fault.
    var column: FaultColumn {
        switch self {
        case .errno, .tornWrite, .directoryMissing, .tornRecord: .errno
        case .killed, .killedMidWrite: .killed
        case .file: .file
        }
    }

    var isKill: Bool { column == .killed }

    var description: String {
        switch self {
        case .errno(let e): ErrnoName.of(e)
        case .tornWrite(let e): "torn write (\(ErrnoName.of(e)))"
        case .directoryMissing: "directory missing"
        case .tornRecord: "torn record"
        case .killed: "killed"
        case .killedMidWrite: "killed mid-write"
        case .file(let f): f.description
        }
    }
}

/// The columns of docs/reliability.md's tables.
enum FaultColumn: Int, CaseIterable, Comparable, Sendable {
    case errno, file, killed

    static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    var title: String {
        switch self {
        case .errno: "errno (Xen's, or the state directory's)"
        case .file: "file faults"
        case .killed: "killed before the step"
        }
    }
}

/// How a file the pipeline reads is made faulty, with the file system itself (the pipeline
/// opens and reads files through swift-system; there is no seam there).
enum FileFault: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case missing, directory, worldWritable, foreignOwner, symlinkLoop, notADirectoryInPath, empty, changed, garbage

    var description: String {
        switch self {
        case .missing: "ENOENT"
        case .directory: "a directory"
        case .worldWritable: "mode 0666"
        case .foreignOwner: "owned by uid 65534"
        case .symlinkLoop: "ELOOP"
        case .notADirectoryInPath: "ENOTDIR"
        case .empty: "empty"
        case .changed: "changed bytes"
        case .garbage: "garbage"
        }
    }
}

/// Short errno names for the table.
enum ErrnoName {
    static func of(_ e: Errno) -> String {
        switch e {
        case .notPermitted: "EPERM"
        case .noSuchFileOrDirectory: "ENOENT"
        case .noMemory: "ENOMEM"
        case .badAddress: "EFAULT"
        case .resourceBusy: "EBUSY"
        case .invalidArgument: "EINVAL"
        case .outOfRange: "ERANGE"
        case .noFunction: "ENOSYS"
        case .notSupported: "EOPNOTSUPP"
        case .addressNotAvailable: "EADDRNOTAVAIL"
        case .ioError: "EIO"
        case .noSpace: "ENOSPC"
        case .readOnlyFileSystem: "EROFS"
        case .permissionDenied: "EACCES"
        default: "errno \(e.rawValue)"
        }
    }
}
