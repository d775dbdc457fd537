/// SHA-256 block compression with the SHA extensions (Intel SDM vol. 2, SHA256RNDS2,
/// SHA256MSG1, SHA256MSG2; the instruction flow of Intel's "Intel SHA Extensions" paper, as
/// Linux arch/x86/crypto/sha256_ni_asm.S uses it), and the run-time choice between it and
/// the scalar `sha256.compress`. Labels:
///
///     sha256.select()                      rax = 2 when the CPU has SHA, SSSE3 and SSE4.1, else 1
///     sha256.ni.blocks(rdi = state, rsi = data, rdx = blocks ≥ 1)
///
/// `sha256.select` reads CPUID leaf 1 ECX bit 9 (SSSE3: `pshufb`, `palignr`) and bit 19 (SSE4.1:
/// `pblendw`), and leaf 7 subleaf 0 EBX bit 29 (SHA), after leaf 0 says leaf 7 exists. It saves
/// rbx and clobbers rcx, rdx. `sha256.ni.blocks` compresses whole 64-byte blocks into the eight
/// state words (the context's first 32 bytes, A first); it clobbers rax, rcx, rdx, rsi and
/// xmm0–xmm10 and touches no stack. The XMM instructions need CR4.OSFXSR (the purgatory's
/// entry sets it: Xen leaves CR4 = PAE only, xen/arch/x86/x86_64/kexec_reloc.S).
enum PurgatorySHA256NI {
    typealias X = X86Assembler.Xmm

    /// The path values `sha256.select` returns and the context records.
    static let scalarPath: Int32 = 1
    static let shaNIPath: Int32 = 2

    /// CPUID.1:ECX.SSSE3[bit 9], CPUID.1:ECX.SSE4_1[bit 19], CPUID.(EAX=7,ECX=0):EBX.SHA[bit 29].
    static let ssse3: UInt32 = 1 << 9
    static let sse41: UInt32 = 1 << 19
    static let sha: UInt32 = 1 << 29

    /// `pshufb` mask that turns each little-endian dword of a block into its big-endian word.
    static let byteSwapMask: [UInt8] = [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12]

    static func emit(into a: inout X86Assembler) {
        emitSelect(into: &a)
        emitBlocks(into: &a)
        a.align(16)
        a.label("sha256.ni.bswap")
        a.data(byteSwapMask)
    }

    private static func emitSelect(into a: inout X86Assembler) {
        a.label("sha256.select")
        a.push(.rbx)
        a.xor32(.rax)
        a.cpuid()
        a.alu(.cmp, .d, .rax, imm: 7)
        a.jump(if: .below, "sha256.select.scalar")
        a.mov32(.rax, 1)
        a.cpuid()
        a.test(.d, .rcx, imm: ssse3)
        a.jump(if: .equal, "sha256.select.scalar")
        a.test(.d, .rcx, imm: sse41)
        a.jump(if: .equal, "sha256.select.scalar")
        a.mov32(.rax, 7)
        a.xor32(.rcx)
        a.cpuid()
        a.test(.d, .rbx, imm: sha)
        a.jump(if: .equal, "sha256.select.scalar")
        a.mov32(.rax, UInt32(shaNIPath))
        a.jmp("sha256.select.out")
        a.label("sha256.select.scalar")
        a.mov32(.rax, UInt32(scalarPath))
        a.label("sha256.select.out")
        a.pop(.rbx)
        a.ret()
    }

    /// State in xmm1 (A,B,E,F) and xmm2 (C,D,G,H), the order SHA256RNDS2 works on; the
    /// message words in xmm3–xmm6, W+K in xmm0, the byte-swap mask in xmm8, the state at the
    /// start of the block in xmm9/xmm10; rax points at `sha256.k`.
    private static func emitBlocks(into a: inout X86Assembler) {
        let (state0, state1, tmp, mask, save0, save1): (X, X, X, X, X, X) = (.xmm1, .xmm2, .xmm7, .xmm8, .xmm9, .xmm10)
        let msg: [X] = [.xmm3, .xmm4, .xmm5, .xmm6]
        a.label("sha256.ni.blocks")
        a.lea(.rax, label: "sha256.ni.bswap")
        a.movdqu(mask, Mem(.rax))
        a.lea(.rax, label: "sha256.k")
        // State words A..H (A at the lowest address) into ABEF / CDGH.
        a.movdqu(state0, Mem(.rdi))  // D C B A (high to low)
        a.movdqu(state1, Mem(.rdi, 16))  // H G F E
        a.pshufd(state0, state0, 0xB1)  // C D A B
        a.pshufd(state1, state1, 0x1B)  // E F G H
        a.movdqa(tmp, state0)
        a.palignr(state0, state1, 8)  // A B E F
        a.pblendw(state1, tmp, 0xF0)  // C D G H
        a.label("sha256.ni.block")
        a.movdqa(save0, state0)
        a.movdqa(save1, state1)
        for i in stride(from: 0, to: 64, by: 4) {
            let r = i / 4
            let (m0, m1, m3) = (msg[r % 4], msg[(r + 1) % 4], msg[(r + 3) % 4])
            if i < 16 {
                a.movdqu(m0, Mem(.rsi, Int32(4 * i)))
                a.pshufb(m0, mask)
            }
            a.movdqu(.xmm0, Mem(.rax, Int32(4 * i)))  // K[i..i+4)
            a.paddd(.xmm0, m0)
            a.sha256rnds2(state1, state0)  // rounds i, i+1
            if i >= 12 && i < 60 {  // W[i+4..i+8) from σ1 of the newest words
                a.movdqa(tmp, m0)
                a.palignr(tmp, m3, 4)
                a.paddd(m1, tmp)
                a.sha256msg2(m1, m0)
            }
            a.pshufd(.xmm0, .xmm0, 0x0E)  // the high two W+K to the low qword
            a.sha256rnds2(state0, state1)  // rounds i+2, i+3
            if i >= 4 && i < 52 { a.sha256msg1(m3, m0) }  // σ0 part of W[i+12..i+16)
        }
        a.paddd(state0, save0)
        a.paddd(state1, save1)
        a.alu(.add, .q, .rsi, imm: 64)
        a.alu(.sub, .q, .rdx, imm: 1)
        a.jump(if: .notEqual, "sha256.ni.block")
        // Back to A..H.
        a.pshufd(state0, state0, 0x1B)  // F E B A
        a.pshufd(state1, state1, 0xB1)  // D C H G
        a.movdqa(tmp, state0)
        a.pblendw(state0, state1, 0xF0)  // D C B A
        a.palignr(state1, tmp, 8)  // H G F E
        a.movdqu(Mem(.rdi), state0)
        a.movdqu(Mem(.rdi, 16), state1)
        a.ret()
    }
}
