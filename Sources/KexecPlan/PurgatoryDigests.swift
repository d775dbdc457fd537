/// The digest table in the purgatory segment and the code that checks it: for every loaded
/// segment but the purgatory itself, its machine address, its `buf_size` and the SHA-256 the
/// planner computed from the bytes it sent. Before the jump the purgatory hashes each range
/// in place and compares (kexec-tools' `verify_sha256_digest`, purgatory/purgatory.c, over
/// its `sha256_regions`); Xen zeroes `[buf_size, dest_size)`, so only `buf_size` bytes count.
///
/// Table layout (little-endian, at `Purgatory.digestTableOffset` of the segment):
///
///     +0  u64 count      +8  u64 0
///     +16 entries, 64 bytes each:
///         +0 u64 address   +8 u64 length   +16 u64 address of its mismatch message
///         +24 u64 0        +32 SHA-256 (32 bytes)
///
/// The planner builds the table with zero digests (the layout fixes every address first) and
/// `fill` writes them once the segments are hashed (`PlanDigest.hash`).
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` (the table travels in the purgatory segment).
enum PurgatoryDigests {
    static let headerSize = 16
    static let entrySize = 64
    static let digestOffsetInEntry = 32
    static let messageOffsetInEntry: Int32 = 16

    /// One range the purgatory hashes.
    struct Check: Equatable, Sendable {
        var role: SegmentRole
        var address: UInt64
        var length: UInt64
    }

    /// Emits the table with zero digests; entry `i`'s message is at label `message.i`.
    static func emitTable(_ checks: [Check], into a: inout X86Assembler) {
        a.label("digests")
        a.data64(UInt64(checks.count))
        a.data64(0)
        for (i, c) in checks.enumerated() {
            a.data64(c.address)
            a.data64(c.length)
            a.address(of: "message.\(i)")
            a.data64(0)
            a.data([UInt8](repeating: 0, count: 32))
        }
    }

    /// `verify(rdi = table)`: rax = 0 when every entry's range hashes to its digest, else the
    /// address of the first entry that does not. Saves rbx, rbp; 40 bytes of stack plus `sha256`'s.
    static func emitVerify(into a: inout X86Assembler) {
        a.label("verify")
        a.push(.rbx)
        a.push(.rbp)
        a.alu(.sub, .q, .rsp, imm: 40)  // the computed digest at [rsp]
        a.load(.q, .rbx, Mem(.rdi))  // rbx: entries left
        a.lea(.rbp, Mem(.rdi, Int32(headerSize)))  // rbp: this entry
        a.label("verify.next")
        a.test(.q, .rbx, .rbx)
        a.jump(if: .equal, "verify.ok")
        a.load(.q, .rdi, Mem(.rbp, 0))
        a.load(.q, .rsi, Mem(.rbp, 8))
        a.mov(.q, .rdx, .rsp)
        a.call("sha256")
        a.mov(.q, .rsi, .rsp)
        a.lea(.rdi, Mem(.rbp, Int32(digestOffsetInEntry)))
        a.mov32(.rcx, 32)
        a.repeCmpsb()
        a.jump(if: .notEqual, "verify.mismatch")
        a.alu(.add, .q, .rbp, imm: Int32(entrySize))
        a.alu(.sub, .q, .rbx, imm: 1)
        a.jmp("verify.next")
        a.label("verify.ok")
        a.xor32(.rax)
        a.jmp("verify.out")
        a.label("verify.mismatch")
        a.mov(.q, .rax, .rbp)
        a.label("verify.out")
        a.alu(.add, .q, .rsp, imm: 40)
        a.pop(.rbp)
        a.pop(.rbx)
        a.ret()
    }

    /// `verify` and `sha256` alone, position-independent (only relative branches and
    /// RIP-relative constants), with their entry offsets: what the execution test runs.
    static func routines() -> (code: [UInt8], verify: Int, sha256: Int) {
        var a = X86Assembler()
        emitVerify(into: &a)
        PurgatorySHA256.emit(into: &a)
        return (a.finish(base: 0) ?? [], a.offset(of: "verify") ?? 0, a.offset(of: "sha256") ?? 0)
    }

    /// The ranges a plan's purgatory checks: every segment with a buffer except the purgatory.
    static func checks(_ segments: [PlannedSegment]) -> [Check] {
        segments.filter { $0.role != .purgatory && !$0.isBufferless }
            .map { Check(role: $0.role, address: $0.dest, length: $0.bufSize) }
    }

    /// Writes each segment's `sha256` into the table of the purgatory bytes `code`, matching
    /// entries by address and length. `corruptKernel` (tests only) flips one bit of the
    /// kernel's digest so that the purgatory must refuse it. Returns the number of entries
    /// left without a digest (0 for every plan the layouts make).
    static func fill(_ code: inout [UInt8], from segments: [PlannedSegment], corruptKernel: Bool) -> Int {
        let table = Purgatory.digestTableOffset
        guard code.count >= table + headerSize else { return 0 }
        let count = Int(truncatingIfNeeded: readLE(code, table))
        var missing = 0
        for i in 0..<count {
            let e = table + headerSize + i * entrySize
            guard e + entrySize <= code.count else { return missing + count - i }
            let address = readLE(code, e), length = readLE(code, e + 8)
            guard let seg = segments.first(where: { $0.role != .purgatory && $0.dest == address && $0.bufSize == length }),
                var digest = seg.sha256, digest.count == 32
            else {
                missing += 1
                continue
            }
            if corruptKernel && seg.role == .kernel { digest[0] ^= 0x01 }
            code.replaceSubrange((e + digestOffsetInEntry)..<(e + digestOffsetInEntry + 32), with: digest)
        }
        return missing
    }

    private static func readLE(_ b: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(b[at + $1]) << (8 * UInt64($1)) }
    }
}
