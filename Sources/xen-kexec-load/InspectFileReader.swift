import SystemPackage

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

    /// The whole content of the file at `path`.
    static func read(_ path: String) throws(Failure) -> [UInt8] {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .readOnly)
        } catch let errno as Errno {
            throw .cannotOpen(errno)
        } catch {
            throw .cannotOpen(.ioError)
        }
        defer { try? fd.close() }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
            } catch let errno as Errno {
                throw .cannotRead(errno)
            } catch {
                throw .cannotRead(.ioError)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}

/// Writes diagnostics to standard error (swift-system; stdout stays clean for `--json`).
enum StandardError {
    static func write(_ line: String) {
        _ = try? FileDescriptor.standardError.writeAll(Array((line + "\n").utf8))
    }
}
