/// The digest table in the purgatory segment and the code that checks it: the machine
/// address and `buf_size` of every loaded segment but the purgatory itself, in segment
/// order, and one SHA-256 over all of those bytes in that order, which the planner takes
/// from the running digest of its single pass (`PlanDigest`). Before the jump the purgatory
/// hashes the ranges in place into one running SHA-256 and compares (kexec-tools'
/// `verify_sha256_digest`, purgatory/purgatory.c, over its `sha256_regions`); Xen zeroes
/// `[buf_size, dest_size)`, so only `buf_size` bytes count. One digest cannot say which
/// segment changed: the mismatch line names the number of segments and bytes checked.
///
/// Table layout (little-endian, at `Purgatory.digestTableOffset` of the segment):
///
///     +0  u64 count      +8  u64 total bytes      +16 SHA-256 (32 bytes)
///     +48 entries, 16 bytes each: u64 address, u64 length
///
/// The planner builds the table with a zero digest (the layout fixes every address first)
/// and `fill` writes it once the segments are hashed (`PlanDigest.hash`).
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` (the table travels in the purgatory segment).
public enum PurgatoryDigests {
    public static let digestOffset = 16
    static let headerSize = 48
    static let entrySize = 16

    /// One range the purgatory hashes: a segment's machine address and `buf_size`.
    struct Check: Equatable, Sendable {
        var address: UInt64
        var length: UInt64
    }

    /// Emits the table with a zero digest.
    static func emitTable(_ checks: [Check], into a: inout X86Assembler) {
        a.label("digests")
        a.data64(UInt64(checks.count))
        a.data64(checks.reduce(0) { $0 &+ $1.length })
        a.data([UInt8](repeating: 0, count: 32))
        for c in checks {
            a.data64(c.address)
            a.data64(c.length)
        }
    }

    /// Stack frame of `verify`: the SHA-256 context at +0, the computed digest after it.
    static let verifyFrame = PurgatorySHA256.contextSize + 32

    /// `verify(rdi = table)`: rax = 0 when the entries' ranges, hashed in order as one
    /// message, give the table's digest, else 1. Saves rbx, rbp, r12; uses `verifyFrame`
    /// bytes of stack plus `sha256.update`'s.
    static func emitVerify(into a: inout X86Assembler) {
        a.label("verify")
        a.push(.rbx)
        a.push(.rbp)
        a.push(.r12)
        a.alu(.sub, .q, .rsp, imm: verifyFrame)
        a.mov(.q, .r12, .rdi)  // r12: the table
        a.load(.q, .rbx, Mem(.rdi))  // rbx: entries left
        a.lea(.rbp, Mem(.rdi, Int32(headerSize)))  // rbp: this entry
        a.mov(.q, .rdi, .rsp)
        a.xor32(.rsi)  // the CPU's choice of path
        a.call("sha256.init")
        a.label("verify.next")
        a.test(.q, .rbx, .rbx)
        a.jump(if: .equal, "verify.final")
        a.mov(.q, .rdi, .rsp)
        a.load(.q, .rsi, Mem(.rbp, 0))
        a.load(.q, .rdx, Mem(.rbp, 8))
        a.call("sha256.update")
        a.alu(.add, .q, .rbp, imm: Int32(entrySize))
        a.alu(.sub, .q, .rbx, imm: 1)
        a.jmp("verify.next")
        a.label("verify.final")
        a.mov(.q, .rdi, .rsp)
        a.lea(.rsi, Mem(.rsp, PurgatorySHA256.contextSize))
        a.call("sha256.final")
        a.lea(.rsi, Mem(.rsp, PurgatorySHA256.contextSize))
        a.lea(.rdi, Mem(.r12, Int32(digestOffset)))
        a.mov32(.rcx, 32)
        a.repeCmpsb()
        a.jump(if: .notEqual, "verify.mismatch")
        a.xor32(.rax)
        a.jmp("verify.out")
        a.label("verify.mismatch")
        a.mov32(.rax, 1)
        a.label("verify.out")
        a.alu(.add, .q, .rsp, imm: verifyFrame)
        a.pop(.r12)
        a.pop(.rbp)
        a.pop(.rbx)
        a.ret()
    }

    /// The ranges the table of purgatory bytes `code` lists, in order.
    public static func tableRanges(_ code: [UInt8]) -> [(address: UInt64, length: UInt64)]? {
        let table = Purgatory.digestTableOffset
        guard code.count >= table + headerSize else { return nil }
        let count = Int(truncatingIfNeeded: readLE(code, table))
        guard count >= 0, count <= (code.count - table - headerSize) / entrySize else { return nil }
        return (0..<count).map { i in
            let e = table + headerSize + i * entrySize
            return (readLE(code, e), readLE(code, e + 8))
        }
    }

    /// Writes `digest` into the table of the purgatory bytes `code`. `corrupt` (tests only)
    /// flips one bit of it so that the purgatory must refuse the kernel.
    public static func fill(_ code: inout [UInt8], digest: [UInt8], corrupt: Bool) {
        let at = Purgatory.digestTableOffset + digestOffset
        guard digest.count == 32, code.count >= at + 32 else { return }
        var d = digest
        if corrupt { d[0] ^= 0x01 }
        code.replaceSubrange(at..<(at + 32), with: d)
    }

    private static func readLE(_ b: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(b[at + $1]) << (8 * UInt64($1)) }
    }
}
