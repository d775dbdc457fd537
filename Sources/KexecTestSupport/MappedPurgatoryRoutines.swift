import Glibc
import KexecPurgatory

/// The purgatory's SHA-256 and digest-check routines (`PurgatoryRoutines`) mapped executable
/// in this process and called with the System V convention they implement: what
/// `PurgatoryExecutionTests` and the SHA-256 bench (`xen-kexec-purgatory-bench`) run natively
/// on x86-64. The raw-pointer work of both is fenced in this file; unmapped on deinit.
public final class MappedPurgatoryRoutines {
    typealias SHA256Routine = @convention(c) (UnsafeRawPointer?, Int, UnsafeMutableRawPointer?, UInt) -> Void
    typealias VerifyRoutine = @convention(c) (UnsafeRawPointer?) -> UInt
    typealias SelectRoutine = @convention(c) () -> UInt

    /// `mmap` or `mprotect` refused (errno).
    public struct MappingFailed: Error { public var errno: Int32 }

    private let base: UnsafeMutableRawPointer
    private let size: Int
    private let sha256: SHA256Routine
    private let verifyRoutine: VerifyRoutine
    private let selectRoutine: SelectRoutine

    public init() throws(MappingFailed) {
        let r = PurgatoryRoutines.assemble()
        let size = (r.code.count + 4095) & ~4095
        // SAFETY: a fresh private anonymous mapping of `size` bytes, written only below
        // `r.code.count`, then turned read+execute before any call; nothing else aliases it.
        guard !r.code.isEmpty, let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            throw MappingFailed(errno: errno)
        }
        r.code.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        guard mprotect(p, size, PROT_READ | PROT_EXEC) == 0 else {
            let e = errno
            munmap(p, size)
            throw MappingFailed(errno: e)
        }
        base = p
        self.size = size
        // SAFETY: the offsets are the routines' entry labels in the bytes just mapped, and
        // the routines follow the C calling convention of these function types
        // (PurgatorySHA256, PurgatorySHA256NI, PurgatoryDigests.emitVerify).
        sha256 = unsafeBitCast(p + r.sha256, to: SHA256Routine.self)
        verifyRoutine = unsafeBitCast(p + r.verify, to: VerifyRoutine.self)
        selectRoutine = unsafeBitCast(p + r.select, to: SelectRoutine.self)
    }

    deinit { munmap(base, size) }

    /// The generated routine's digest of `data` on `path` (`PurgatoryRoutines.cpuChoice`,
    /// `.scalarPath`, `.shaNIPath`; the SHA-NI path on a CPU without it raises SIGILL).
    public func digest(_ data: [UInt8], path: UInt = PurgatoryRoutines.cpuChoice) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        // SAFETY: `data` is readable for data.count bytes and `out` writable for 32 for the
        // duration of the call; the routine touches nothing else but its own stack.
        data.withUnsafeBytes { d in out.withUnsafeMutableBytes { o in sha256(d.baseAddress, d.count, o.baseAddress, path) } }
        return out
    }

    /// `verify` on the digest table at `table` (0: the ranges it names hash to its digest).
    /// The caller keeps the table and every range it names readable during the call.
    public func verify(_ table: UnsafeRawPointer) -> UInt { verifyRoutine(table) }

    /// The path `sha256.select` picks on this CPU (CPUID).
    public func selectedPath() -> UInt { selectRoutine() }
}
