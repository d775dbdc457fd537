import SystemPackage
import XenKexec

/// Reads whole input files for `inspect` with swift-system (no Foundation file APIs).
enum InspectFileReader {
    /// Why a file could not be read; both map to EX_NOINPUT (66).
    enum Failure: Error {
        /// `open` failed (ENOENT, EACCES, …).
        case cannotOpen(Errno)
        /// `read` failed (EISDIR for a directory, EIO, …).
        case cannotRead(Errno)

        var message: String {
            switch self {
            case .cannotOpen(let errno): "cannot open: \(errno)"
            case .cannotRead(let errno): "cannot read: \(errno)"
            }
        }
    }

    /// The whole content of the file at `path` (``HostFiles/read(_:limit:)``).
    static func read(_ path: String) throws(Failure) -> [UInt8] {
        do {
            // Open first so "cannot open" and "cannot read" stay distinct.
            let fd = try FileDescriptor.open(FilePath(path), .readOnly)
            try? fd.close()
        } catch let errno as Errno {
            throw .cannotOpen(errno)
        } catch {
            throw .cannotOpen(.ioError)
        }
        do {
            return try HostFiles.read(FilePath(path))
        } catch {
            throw .cannotRead(error)
        }
    }
}
