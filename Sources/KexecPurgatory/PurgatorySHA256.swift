/// SHA-256 (FIPS 180-4) as x86-64 code for the purgatory, which hashes every other loaded
/// segment in one running digest before it jumps (what kexec-tools' purgatory does in
/// `verify_sha256_digest` over its `sha256_regions`). Streaming System V subroutines, so a
/// test can also run them in user space:
///
///     sha256.init(rdi = context, rsi = path: 0 the CPU's choice, 1 scalar, 2 SHA-NI)
///     sha256.update(rdi = context, rsi = data, rdx = length in bytes)
///     sha256.final(rdi = context, rsi = 32-byte output)
///     sha256(rdi = data, rsi = length, rdx = 32-byte output, rcx = path)   (the three on one buffer)
///
/// The context (`contextSize` bytes) holds the state, the total length, the path, the bytes
/// of an unfinished block and the message schedule. Whole blocks go through `sha256.blocks`,
/// which runs `sha256.ni.blocks` (`PurgatorySHA256NI`) on the SHA-NI path and
/// `sha256.compress` (one 64-byte block, scalar) block after block otherwise; `init` asks
/// `sha256.select` (CPUID) when the path is 0. The routines save rbx, rbp and r12–r15, reach
/// their constants RIP-relative and need the direction flag clear. Labels: the four entries,
/// `sha256.blocks`, `sha256.compress`, `sha256.k`, `sha256.iv`.
enum PurgatorySHA256 {
    typealias R = X86Assembler.Reg64

    /// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
    /// FIPS 180-4 §5.3.3: the initial hash value.
    static let iv: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]

    /// Context layout: the state (8 words) at +0, the total length in bytes at +32, the bytes
    /// of the unfinished block at +40, the path (1 scalar, 2 SHA-NI) at +48, that block and a
    /// second padding block at +64, the message schedule W[0..64) at +192 (r12 points at it,
    /// r14 at the state, while a routine runs), a copy of K[0..64) at +448 (so a scalar round
    /// reaches W[t] and K[t] from one pointer).
    static let contextSize: Int32 = 704
    static let lengthOffset: Int32 = 32
    static let fillOffset: Int32 = 40
    static let pathOffset: Int32 = 48
    static let blockOffset: Int32 = 64
    static let scheduleOffset: Int32 = 192
    static let constantsOffset: Int32 = 448

    static let saved: [R] = [.rbx, .rbp, .r12, .r13, .r14, .r15]

    /// Emits the four entries, `sha256.compress` and the constants.
    static func emit(into a: inout X86Assembler) {
        emitOneShot(into: &a)
        emitInit(into: &a)
        emitUpdate(into: &a)
        emitFinal(into: &a)
        emitBlocks(into: &a)
        PurgatorySHA256Scalar.emit(into: &a)
        PurgatorySHA256NI.emit(into: &a)
        a.align(16)
        a.label("sha256.k")
        for v in k { a.data32(v) }
        a.label("sha256.iv")
        for v in iv { a.data32(v) }
    }

    /// `sha256(data, length, output, path)`: a context on the stack, then init, update, final.
    private static func emitOneShot(into a: inout X86Assembler) {
        a.label("sha256")
        for r: R in [.r13, .r14, .r15] { a.push(r) }
        a.alu(.sub, .q, .rsp, imm: contextSize)
        a.mov(.q, .r13, .rdi)
        a.mov(.q, .r14, .rsi)
        a.mov(.q, .r15, .rdx)
        a.mov(.q, .rdi, .rsp)
        a.mov(.q, .rsi, .rcx)
        a.call("sha256.init")
        a.mov(.q, .rdi, .rsp)
        a.mov(.q, .rsi, .r13)
        a.mov(.q, .rdx, .r14)
        a.call("sha256.update")
        a.mov(.q, .rdi, .rsp)
        a.mov(.q, .rsi, .r15)
        a.call("sha256.final")
        a.alu(.add, .q, .rsp, imm: contextSize)
        for r: R in [.r15, .r14, .r13] { a.pop(r) }
        a.ret()
    }

    /// The initial hash value, length 0, no buffered bytes, the path (`sha256.select`'s when
    /// rsi is 0), the copy of K. Clobbers rax, rcx, rdx, rsi, rdi.
    private static func emitInit(into a: inout X86Assembler) {
        a.label("sha256.init")
        a.test(.q, .rsi, .rsi)
        a.jump(if: .notEqual, "sha256.init.path")
        a.call("sha256.select")
        a.mov(.q, .rsi, .rax)
        a.label("sha256.init.path")
        a.store(.q, Mem(.rdi, pathOffset), .rsi)
        a.lea(.rax, label: "sha256.iv")
        for i: Int32 in stride(from: 0, to: 32, by: 8) {
            a.load(.q, .rcx, Mem(.rax, i))
            a.store(.q, Mem(.rdi, i), .rcx)
        }
        a.xor32(.rcx)
        a.store(.q, Mem(.rdi, lengthOffset), .rcx)
        a.store(.q, Mem(.rdi, fillOffset), .rcx)
        a.lea(.rsi, label: "sha256.k")
        a.lea(.rdi, Mem(.rdi, constantsOffset))
        a.mov32(.rcx, 256)
        a.repMovsb()
        a.ret()
    }

    /// Tops up a partly filled block first, then whole blocks straight from the data, then
    /// keeps the rest (under 64 bytes) in the context.
    private static func emitUpdate(into a: inout X86Assembler) {
        a.label("sha256.update")
        for r in saved { a.push(r) }
        a.mov(.q, .r14, .rdi)  // r14: the context (its state first)
        a.lea(.r12, Mem(.rdi, scheduleOffset))  // r12: the schedule
        a.mov(.q, .r15, .rsi)  // r15: the next data byte
        a.mov(.q, .r13, .rdx)  // r13: bytes left
        a.load(.q, .rax, Mem(.r14, lengthOffset))
        a.alu(.add, .q, .rax, .r13)
        a.store(.q, Mem(.r14, lengthOffset), .rax)
        a.label("sha256.update.partial")
        a.test(.q, .r13, .r13)
        a.jump(if: .equal, "sha256.update.done")
        a.load(.q, .rcx, Mem(.r14, fillOffset))
        a.test(.q, .rcx, .rcx)
        a.jump(if: .equal, "sha256.update.blocks")
        a.mov32(.rax, 64)  // rax: min(64 - fill, bytes left)
        a.alu(.sub, .q, .rax, .rcx)
        a.alu(.cmp, .q, .rax, .r13)
        a.jump(if: .belowOrEqual, "sha256.update.room")
        a.mov(.q, .rax, .r13)
        a.label("sha256.update.room")
        a.lea(.rdi, Mem(.r14, blockOffset))
        a.alu(.add, .q, .rdi, .rcx)
        a.mov(.q, .rsi, .r15)
        a.mov(.q, .rcx, .rax)
        a.repMovsb()
        a.alu(.add, .q, .r15, .rax)
        a.alu(.sub, .q, .r13, .rax)
        a.load(.q, .rcx, Mem(.r14, fillOffset))
        a.alu(.add, .q, .rcx, .rax)
        a.store(.q, Mem(.r14, fillOffset), .rcx)
        a.alu(.cmp, .q, .rcx, imm: 64)
        a.jump(if: .below, "sha256.update.done")  // not full: no data left
        a.lea(.rsi, Mem(.r14, blockOffset))
        a.mov32(.rdx, 1)
        a.call("sha256.blocks")
        a.xor32(.rax)
        a.store(.q, Mem(.r14, fillOffset), .rax)
        a.jmp("sha256.update.partial")
        a.label("sha256.update.blocks")  // nothing buffered: every whole block in one call
        a.mov(.q, .rdx, .r13)
        a.shr(.q, .rdx, 6)
        a.jump(if: .equal, "sha256.update.rest")
        a.mov(.q, .rsi, .r15)
        a.call("sha256.blocks")
        a.mov(.q, .rax, .r13)
        a.alu(.and, .q, .rax, imm: -64)
        a.alu(.add, .q, .r15, .rax)
        a.alu(.and, .q, .r13, imm: 63)
        a.label("sha256.update.rest")
        a.lea(.rdi, Mem(.r14, blockOffset))
        a.mov(.q, .rsi, .r15)
        a.mov(.q, .rcx, .r13)
        a.repMovsb()
        a.store(.q, Mem(.r14, fillOffset), .r13)
        a.label("sha256.update.done")
        for r in saved.reversed() { a.pop(r) }
        a.ret()
    }

    /// FIPS 180-4 §5.1.1 padding (0x80, zeros, the bit length big-endian) after the buffered
    /// bytes, in one or two blocks; then the state words, big-endian, to the output.
    private static func emitFinal(into a: inout X86Assembler) {
        a.label("sha256.final")
        for r in saved { a.push(r) }
        a.mov(.q, .r14, .rdi)
        a.lea(.r12, Mem(.rdi, scheduleOffset))
        a.mov(.q, .r15, .rsi)  // r15: the output
        a.load(.q, .rcx, Mem(.r14, fillOffset))
        a.lea(.rdi, Mem(.r14, blockOffset))
        a.alu(.add, .q, .rdi, .rcx)
        a.storeByte(Mem(.rdi), 0x80)
        a.alu(.add, .q, .rdi, imm: 1)
        a.lea(.rcx, Mem(.r14, scheduleOffset))  // zeros up to the end of both blocks
        a.alu(.sub, .q, .rcx, .rdi)
        a.xor32(.rax)
        a.repStosb()
        a.load(.q, .rax, Mem(.r14, lengthOffset))
        a.shl(.q, .rax, 3)
        a.bswap(.q, .rax)
        a.load(.q, .rcx, Mem(.r14, fillOffset))
        a.alu(.cmp, .q, .rcx, imm: 56)
        a.jump(if: .aboveOrEqual, "sha256.final.two")
        a.store(.q, Mem(.r14, blockOffset + 56), .rax)
        a.mov32(.rdx, 1)
        a.jmp("sha256.final.blocks")
        a.label("sha256.final.two")
        a.store(.q, Mem(.r14, blockOffset + 120), .rax)
        a.mov32(.rdx, 2)
        a.label("sha256.final.blocks")
        a.lea(.rsi, Mem(.r14, blockOffset))
        a.call("sha256.blocks")
        for i: Int32 in stride(from: 0, to: 32, by: 4) {
            a.load(.d, .rax, Mem(.r14, i))
            a.bswap(.d, .rax)
            a.store(.d, Mem(.r15, i), .rax)
        }
        for r in saved.reversed() { a.pop(r) }
        a.ret()
    }

    /// `rdx` (≥ 1) whole blocks at rsi into the state at r14, on the context's path: SHA-NI
    /// in one call, or `sha256.compress` block after block (saving r13 and r15 around it).
    /// Clobbers what `sha256.compress` does.
    private static func emitBlocks(into a: inout X86Assembler) {
        a.label("sha256.blocks")
        a.load(.q, .rax, Mem(.r14, pathOffset))
        a.alu(.cmp, .q, .rax, imm: PurgatorySHA256NI.shaNIPath)
        a.jump(if: .notEqual, "sha256.blocks.scalar")
        a.mov(.q, .rdi, .r14)
        a.jmp("sha256.ni.blocks")  // returns to our caller
        a.label("sha256.blocks.scalar")
        a.push(.r13)
        a.push(.r15)
        a.mov(.q, .r15, .rsi)
        a.mov(.q, .r13, .rdx)
        a.label("sha256.blocks.next")
        a.mov(.q, .rsi, .r15)
        a.call("sha256.compress")
        a.alu(.add, .q, .r15, imm: 64)
        a.alu(.sub, .q, .r13, imm: 1)
        a.jump(if: .notEqual, "sha256.blocks.next")
        a.pop(.r15)
        a.pop(.r13)
        a.ret()
    }
}
