/// The purgatory's unprivileged routines alone — `verify`, the SHA-256 entries and
/// `sha256.select` — position-independent (only relative branches and RIP-relative
/// constants), with their entry offsets: what the execution tests and the SHA-256 bench map
/// executable and call in user space (the entry's `cli`, `lgdt`, control-register and port
/// instructions never run there).
///
///     verify(rdi = table) → rax 0 (match) or 1
///     sha256(rdi = data, rsi = length, rdx = 32-byte output, rcx = path)
///     sha256.select() → rax: the path CPUID picks
///
/// Paths: 0 = the CPU's choice (`sha256.select`), 1 = scalar, 2 = SHA-NI (the caller makes
/// sure the CPU has it).
/// No hypercall: the same bytes travel in the purgatory segment of `KEXEC_CMD_kexec_load`.
public struct PurgatoryRoutines: Sendable {
    public static let cpuChoice: UInt = 0
    public static let scalarPath = UInt(PurgatorySHA256NI.scalarPath)
    public static let shaNIPath = UInt(PurgatorySHA256NI.shaNIPath)

    public var code: [UInt8]
    public var verify: Int
    public var sha256: Int
    public var select: Int

    /// Assembles the routines at offset 0.
    public static func assemble() -> PurgatoryRoutines {
        var a = X86Assembler()
        PurgatoryDigests.emitVerify(into: &a)
        PurgatorySHA256.emit(into: &a)
        return PurgatoryRoutines(
            code: a.finish(base: 0) ?? [], verify: a.offset(of: "verify") ?? 0, sha256: a.offset(of: "sha256") ?? 0,
            select: a.offset(of: "sha256.select") ?? 0)
    }
}
