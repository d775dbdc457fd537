import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// File access for `plan`: whole files read with swift-system into one buffer each (no
/// Foundation file APIs), and `--emit` output. Errors are swift-system `Errno`s.
enum PlanFiles {
    /// Reads the whole file at `path` into one array (one allocation, no copies).
    static func read(_ path: String) throws -> [UInt8] {
        let fd = try FileDescriptor.open(FilePath(path), .readOnly)
        return try fd.closeAfter {
            // Only regular files have a meaningful size (a directory's "end" can be huge).
            let st = try fd.stat()
            guard st.type == .regular else { throw st.type == .directory ? Errno.isDirectory : Errno.invalidArgument }
            let count = Int(st.size)
            var failure: (any Error)?
            let bytes = [UInt8](unsafeUninitializedCapacity: count) { buf, initialized in
                let raw = UnsafeMutableRawBufferPointer(buf)
                var done = 0
                while done < count {
                    do {
                        let n = try fd.read(fromAbsoluteOffset: Int64(done), into: UnsafeMutableRawBufferPointer(rebasing: raw[done..<count]))
                        if n == 0 { break }
                        done += n
                    } catch {
                        failure = error
                        break
                    }
                }
                initialized = done
            }
            if let f = failure { throw f }
            return bytes
        }
    }

    /// Writes `bytes` to `path` (created or truncated, mode 0644).
    static func write(_ path: String, _ bytes: [UInt8]) throws {
        let fd = try FileDescriptor.open(
            FilePath(path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite, .groupRead, .otherRead])
        try fd.closeAfter { _ = try fd.writeAll(bytes) }
    }

    /// Creates `path` as a directory unless it exists.
    static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw Errno(rawValue: errno) }
    }
}

/// `print(..., to: &err)` target for messages on stderr.
struct StandardError: TextOutputStream {
    /// Writes one line to stderr.
    static func write(_ line: String) {
        _ = try? FileDescriptor.standardError.writeAll(Array((line + "\n").utf8))
    }

    mutating func write(_ string: String) {
        _ = try? FileDescriptor.standardError.writeAll(Array(string.utf8))
    }
}
