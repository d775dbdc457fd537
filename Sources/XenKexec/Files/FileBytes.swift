import FoundationEssentials
import Synchronization
import SystemPackage

/// A regular file as a read-only collection of bytes, read on demand with `pread(2)`: what
/// `plan` hands the planner, so that planning and its one SHA-256 pass need memory for a
/// 1 MiB chunk at a time, not for the whole initrd. Indices are file offsets; a slice is a
/// `FileBytes` over the same open file. Byte access goes through a 64 KiB window (the
/// planner reads headers byte by byte); hashing goes through `regions`, 1 MiB chunks read
/// one at a time as swift-crypto's `update(data:)` walks them (`DataProtocol`).
///
/// A collection cannot throw: a failed or short read (the file shrank) yields zeros and is
/// remembered; ``problem`` reports it, and the caller must check it after planning (`plan`
/// exits 66 then). The file is held open until the last `FileBytes` over it goes away.
public struct FileBytes: RandomAccessCollection, Sendable {
    /// The open file and its read state. The state is behind a `Mutex`, so a `FileBytes`
    /// shared across tasks reads correctly (each access locks; a 64 KiB window is one lock
    /// per byte read from it, which only header parsing does).
    final class Source: Sendable {
        let fd: FileDescriptor
        let stat: Stat
        var size: Int { Int(stat.size) }

        struct State {
            var window: [UInt8] = []
            var windowStart = 0
            var problem: Errno?
            /// The whole file is in `window` (``FileBytes/readWhole()``): nothing is read again.
            var resident = false
        }
        let state = Mutex(State())

        init(fd: FileDescriptor, stat: Stat) {
            self.fd = fd
            self.stat = stat
        }

        deinit { try? fd.close() }

        var problem: Errno? { state.withLock { $0.problem } }

        /// `count` bytes at `offset`, zero-filled past a failed or short read.
        func read(at offset: Int, count: Int) -> [UInt8] {
            state.withLock { Self.read(fd, &$0, at: offset, count: count) }
        }

        static func read(_ fd: FileDescriptor, _ s: inout State, at offset: Int, count: Int) -> [UInt8] {
            if s.resident { return Array(s.window[offset..<(offset + count)]) }
            do throws(Errno) {
                var bytes = try SystemCalls.read(fd, at: offset, count: count)
                if bytes.count < count {
                    if s.problem == nil { s.problem = .ioError }
                    bytes += [UInt8](repeating: 0, count: count - bytes.count)
                }
                return bytes
            } catch {
                if s.problem == nil { s.problem = error }
                return [UInt8](repeating: 0, count: count)
            }
        }

        func byte(at offset: Int) -> UInt8 {
            state.withLock { s in
                if offset < s.windowStart || offset >= s.windowStart + s.window.count {
                    s.windowStart = offset & ~0xFFFF
                    s.window = Self.read(fd, &s, at: s.windowStart, count: Swift.min(1 << 16, size - s.windowStart))
                }
                return s.window[offset - s.windowStart]
            }
        }

        func makeResident(_ all: [UInt8]) {
            state.withLock { s in
                s.window = all
                s.windowStart = 0
                s.resident = true
            }
        }
    }

    let source: Source
    public let startIndex: Int
    public let endIndex: Int

    init(source: Source, range: Range<Int>) {
        self.source = source
        startIndex = range.lowerBound
        endIndex = range.upperBound
    }

    /// Opens `path` (a regular file; `Errno.invalidArgument` otherwise, `isDirectory` for a
    /// directory) and takes its size from `fstat`.
    public static func open(_ path: FilePath) throws(Errno) -> FileBytes {
        let fd = try Errno.catching { try FileDescriptor.open(path, .readOnly, options: [.closeOnExec]) }
        let st: Stat
        do { st = try fd.stat() } catch {
            try? fd.close()
            throw error
        }
        guard st.type == .regular else {
            try? fd.close()
            throw st.type == .directory ? .isDirectory : .invalidArgument
        }
        return FileBytes(source: Source(fd: fd, stat: st), range: 0..<Int(st.size))
    }

    /// Reads the whole file once into memory; every later access (bytes, slices, hashing
    /// regions) is served from that copy, so the bytes a caller checks through ``bytes`` are
    /// the bytes the planner sees. Throws when the file cannot be read whole.
    public func readWhole() throws(Errno) {
        let all = try SystemCalls.read(source.fd, at: 0, count: source.size)
        guard all.count == source.size else { throw .ioError }
        source.makeResident(all)
    }

    /// Why a read failed or came up short (the file shrank while being read), if one did.
    public var problem: Errno? { source.problem }

    public subscript(position: Int) -> UInt8 {
        guard position >= startIndex && position < endIndex else { return 0 }
        return source.byte(at: position)
    }

    public subscript(bounds: Range<Int>) -> FileBytes {
        FileBytes(source: source, range: Swift.max(bounds.lowerBound, startIndex)..<Swift.min(Swift.max(bounds.upperBound, startIndex), endIndex))
    }

    /// The bytes, read in one go (for `plan --emit`, which writes each segment whole).
    public var bytes: [UInt8] { source.read(at: startIndex, count: count) }
}

/// The bytes as `DataProtocol`: 1 MiB regions, each read when it is visited.
extension FileBytes: DataProtocol {
    public struct Chunks: RandomAccessCollection {
        static let size = 1 << 20
        let bytes: FileBytes
        public var startIndex: Int { 0 }
        public var endIndex: Int { (bytes.count + Self.size - 1) / Self.size }

        public subscript(i: Int) -> [UInt8] {
            let lo = bytes.startIndex + i * Self.size
            return bytes.source.read(at: lo, count: Swift.min(Self.size, bytes.endIndex - lo))
        }
    }

    public var regions: Chunks { Chunks(bytes: self) }
}
