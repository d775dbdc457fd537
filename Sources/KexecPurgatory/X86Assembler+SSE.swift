/// The SSE and SHA extensions instructions of the purgatory's SHA-NI path, on the sixteen XMM
/// registers (Intel SDM vol. 2 encodings on each method; a mandatory prefix 66/F3 comes before
/// any REX prefix, which carries bit 3 of both register numbers). They need CR4.OSFXSR set and
/// CR0.EM clear, or they raise #UD (SDM vol. 3, 2.5 "Control Registers").
extension X86Assembler {
    enum Xmm: UInt8 {
        case xmm0 = 0, xmm1, xmm2, xmm3, xmm4, xmm5, xmm6, xmm7, xmm8, xmm9, xmm10, xmm11, xmm12, xmm13, xmm14, xmm15
        /// The same encoding number as a general register (ModRM's rm field, REX.B).
        var asRM: Reg64 { Reg64(rawValue: rawValue)! }
    }

    /// `movdqu xmm, m128` — F3 0F 6F /r.
    mutating func movdqu(_ dst: Xmm, _ m: Mem) { sse(0xF3, [0x0F, 0x6F], dst.rawValue, m) }
    /// `movdqu m128, xmm` — F3 0F 7F /r.
    mutating func movdqu(_ m: Mem, _ src: Xmm) { sse(0xF3, [0x0F, 0x7F], src.rawValue, m) }
    /// `movdqa xmm1, xmm2` — 66 0F 6F /r.
    mutating func movdqa(_ dst: Xmm, _ src: Xmm) { sse(0x66, [0x0F, 0x6F], dst, src) }
    /// `paddd xmm1, xmm2` (four 32-bit adds) — 66 0F FE /r.
    mutating func paddd(_ dst: Xmm, _ src: Xmm) { sse(0x66, [0x0F, 0xFE], dst, src) }
    /// `pshufb xmm1, xmm2` (SSSE3: bytes of xmm1 picked by xmm2) — 66 0F 38 00 /r.
    mutating func pshufb(_ dst: Xmm, _ src: Xmm) { sse(0x66, [0x0F, 0x38, 0x00], dst, src) }
    /// `pshufd xmm1, xmm2, imm8` (dwords of xmm2 picked by imm8) — 66 0F 70 /r ib.
    mutating func pshufd(_ dst: Xmm, _ src: Xmm, _ order: UInt8) {
        sse(0x66, [0x0F, 0x70], dst, src)
        bytes.append(order)
    }
    /// `palignr xmm1, xmm2, imm8` (SSSE3: xmm1:xmm2 shifted right by imm8 bytes) — 66 0F 3A 0F /r ib.
    mutating func palignr(_ dst: Xmm, _ src: Xmm, _ shift: UInt8) {
        sse(0x66, [0x0F, 0x3A, 0x0F], dst, src)
        bytes.append(shift)
    }
    /// `pblendw xmm1, xmm2, imm8` (SSE4.1: the 16-bit words imm8 selects come from xmm2) — 66 0F 3A 0E /r ib.
    mutating func pblendw(_ dst: Xmm, _ src: Xmm, _ mask: UInt8) {
        sse(0x66, [0x0F, 0x3A, 0x0E], dst, src)
        bytes.append(mask)
    }
    /// `sha256rnds2 xmm1, xmm2, <xmm0>` (two rounds: state C,D,G,H in xmm1, A,B,E,F in xmm2,
    /// W+K of the two rounds in xmm0's low qword; the new A,B,E,F to xmm1) — NP 0F 38 CB /r.
    mutating func sha256rnds2(_ dst: Xmm, _ src: Xmm) { sse(nil, [0x0F, 0x38, 0xCB], dst, src) }
    /// `sha256msg1 xmm1, xmm2` (the σ0 part of the next four schedule words) — NP 0F 38 CC /r.
    mutating func sha256msg1(_ dst: Xmm, _ src: Xmm) { sse(nil, [0x0F, 0x38, 0xCC], dst, src) }
    /// `sha256msg2 xmm1, xmm2` (the σ1 part of the next four schedule words) — NP 0F 38 CD /r.
    mutating func sha256msg2(_ dst: Xmm, _ src: Xmm) { sse(nil, [0x0F, 0x38, 0xCD], dst, src) }

    private mutating func sse(_ prefix: UInt8?, _ op: [UInt8], _ dst: Xmm, _ src: Xmm) {
        if let prefix { bytes.append(prefix) }
        modrm(op, w: false, reg: dst.rawValue, rm: src.asRM)
    }

    private mutating func sse(_ prefix: UInt8?, _ op: [UInt8], _ reg: UInt8, _ m: Mem) {
        if let prefix { bytes.append(prefix) }
        modrm(op, w: false, reg: reg, m)
    }
}
