/// `sha256.compress`: one 64-byte block at rsi into the state at r14 with general registers
/// only (FIPS 180-4 §6.2.2), the path for a CPU without the SHA extensions. W[0..16) (the
/// block's words) are stored at r12 first; the rounds keep a..h in eight registers (8 rounds
/// per pass rename them instead of moving values) and add W[t] and K[t] from the context (K's
/// copy lies 256 bytes after W). Rounds 16..63 compute their W[t] inside the round, as
/// kexec-tools' util_lib/sha256.c does (`R(t)` in `P()`): that work does not depend on a..h, so
/// the CPU overlaps it with the rounds' dependency chain. Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)),
/// and b ^ c is the previous round's a ^ b, carried in r13/r15. Saves r13, r14 and r15;
/// clobbers rax, rbx, rcx, rdx, rbp, rsi, rdi, r8–r11.
enum PurgatorySHA256Scalar {
    typealias R = X86Assembler.Reg64

    /// Offset of K[0] from W[0] in the context.
    static let constantsFromSchedule = PurgatorySHA256.constantsOffset - PurgatorySHA256.scheduleOffset

    static func emit(into a: inout X86Assembler) {
        a.label("sha256.compress")
        a.push(.r13)
        a.push(.r15)
        // W[0..16): the block's big-endian words.
        for i: Int32 in 0..<16 {
            a.load(.d, .rax, Mem(.rsi, 4 * i))
            a.bswap(.d, .rax)
            a.store(.d, Mem(.r12, 4 * i), .rax)
        }
        let state: [R] = [.rax, .rbx, .rcx, .rdx, .rbp, .r8, .r9, .r10]
        for (i, r) in state.enumerated() { a.load(.d, r, Mem(.r14, Int32(4 * i))) }
        a.mov(.d, .r15, .rbx)  // b ^ c for the first round's Maj
        a.alu(.xor, .d, .r15, .rcx)
        a.push(.r14)  // the schedule's third scratch register in rounds 16..63
        a.mov(.q, .rsi, .r12)
        // Two passes of 8 rounds on the block's words, then six that compute W[t] as they go.
        for (label, schedule, endOffset): (String, Bool, Int32) in [("sha256.rounds16", false, 64), ("sha256.rounds64", true, 256)] {
            a.label(label)
            for round in 0..<8 {
                let v = (0..<8).map { state[($0 - round + 8) % 8] }
                let (ab, bc): (R, R) = round % 2 == 0 ? (.r13, .r15) : (.r15, .r13)
                emitRound(into: &a, v, ab: ab, bc: bc, wordOffset: Int32(4 * round), schedule: schedule)
            }
            a.alu(.add, .q, .rsi, imm: 32)
            a.lea(.rdi, Mem(.r12, endOffset))
            a.alu(.cmp, .q, .rsi, .rdi)
            a.jump(if: .below, label)
        }
        a.pop(.r14)
        for (i, r) in state.enumerated() {
            a.alu(.add, .d, r, Mem(.r14, Int32(4 * i)))
            a.store(.d, Mem(.r14, Int32(4 * i)), r)
        }
        a.pop(.r15)
        a.pop(.r13)
        a.ret()
    }

    /// One round on `v` = (a, b, c, d, e, f, g, h) with W[t] at [rsi + wordOffset] and K[t]
    /// `constantsFromSchedule` after it: d += T1, h = T1 + T2 (FIPS 180-4 §6.2.2 step 3, the
    /// renaming done by the caller). `bc` holds b ^ c on entry; `ab` gets a ^ b (the next
    /// round's b ^ c). With `schedule`, W[t] is computed first and stored (rounds 16..63).
    private static func emitRound(into a: inout X86Assembler, _ v: [R], ab: R, bc: R, wordOffset: Int32, schedule: Bool) {
        let (ra, rb, rd, re, rf, rg, rh) = (v[0], v[1], v[3], v[4], v[5], v[6], v[7])
        let t: R = .rdi, u: R = .r11
        if schedule {
            emitScheduleWord(into: &a, wordOffset: wordOffset)
            a.alu(.add, .d, rh, .r14)
        } else {
            a.alu(.add, .d, rh, Mem(.rsi, wordOffset))
        }
        // T1 = h + W[t] + K[t] + Σ1(e) + Ch(e, f, g) (W and K first: they do not wait for e);
        // Σ1 = ror 6 ^ ror 11 ^ ror 25.
        a.alu(.add, .d, rh, Mem(.rsi, constantsFromSchedule + wordOffset))
        a.mov(.d, t, rf)  // Ch = g ^ (e & (f ^ g)), added before Σ1: its chain from e is shorter
        a.alu(.xor, .d, t, rg)
        a.alu(.and, .d, t, re)
        a.alu(.xor, .d, t, rg)
        a.alu(.add, .d, rh, t)
        a.mov(.d, t, re)
        a.ror(.d, t, 6)
        a.mov(.d, u, re)
        a.ror(.d, u, 11)
        a.alu(.xor, .d, t, u)
        a.ror(.d, u, 14)
        a.alu(.xor, .d, t, u)
        a.alu(.add, .d, rh, t)
        a.alu(.add, .d, rd, rh)
        // T2 = Σ0(a) + Maj(a, b, c); Σ0 = ror 2 ^ ror 13 ^ ror 22.
        a.mov(.d, t, ra)
        a.ror(.d, t, 2)
        a.mov(.d, u, ra)
        a.ror(.d, u, 13)
        a.alu(.xor, .d, t, u)
        a.ror(.d, u, 9)
        a.alu(.xor, .d, t, u)
        a.alu(.add, .d, rh, t)
        a.mov(.d, ab, ra)  // Maj = b ^ ((a ^ b) & (b ^ c))
        a.alu(.xor, .d, ab, rb)
        a.alu(.and, .d, bc, ab)
        a.alu(.xor, .d, bc, rb)
        a.alu(.add, .d, rh, bc)
    }

    /// W[t] = σ1(W[t−2]) + W[t−7] + σ0(W[t−15]) + W[t−16] (FIPS 180-4 §6.2.2 step 1) for the
    /// word at [rsi + wordOffset], stored there and left in r14; σ0(x) = ror 7 (x ^ ror 11 x) ^
    /// shr 3 x, σ1(x) = ror 17 (x ^ ror 2 x) ^ shr 10 x. Uses rdi and r11 before the round does.
    private static func emitScheduleWord(into a: inout X86Assembler, wordOffset w: Int32) {
        emitSmallSigma(into: &a, .r14, from: Mem(.rsi, w - 60), scratch: .rdi, rotations: (11, 7), shift: 3)
        a.alu(.add, .d, .r14, Mem(.rsi, w - 64))
        a.alu(.add, .d, .r14, Mem(.rsi, w - 28))
        emitSmallSigma(into: &a, .rdi, from: Mem(.rsi, w - 8), scratch: .r11, rotations: (2, 17), shift: 10)
        a.alu(.add, .d, .r14, .rdi)
        a.store(.d, Mem(.rsi, w), .r14)
    }

    /// σ(x) = ror r2 (x ^ ror r1 x) ^ shr n x into `r`, x loaded from `m`; σ0 is (11, 7), 3 and
    /// σ1 (2, 17), 10 (FIPS 180-4 §4.1.2, the rotations 7, 18 and 17, 19 composed).
    private static func emitSmallSigma(into a: inout X86Assembler, _ r: R, from m: Mem, scratch s: R, rotations: (UInt8, UInt8), shift: UInt8) {
        a.load(.d, r, m)
        a.mov(.d, s, r)
        a.ror(.d, s, rotations.0)
        a.alu(.xor, .d, s, r)
        a.ror(.d, s, rotations.1)
        a.shr(.d, r, shift)
        a.alu(.xor, .d, r, s)
    }
}
