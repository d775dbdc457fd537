/// Arithmetic, moves, shifts, branches and port I/O for the purgatory's SHA-256 routine,
/// digest check and serial output (Intel SDM vol. 2 encodings on each method).
extension X86Assembler {
    /// Operand size: 32-bit (`d`, zero-extends into the 64-bit register) or 64-bit (`q`, REX.W).
    enum Width { case d, q }

    /// The classic two-operand ALU group: `op r/m, r` is `base + 1`, `op r, r/m` is
    /// `base + 3`, `op r/m, imm` is 81 /digit (83 /digit for an imm8).
    enum ALU: UInt8 {
        case add = 0, or = 1, and = 4, sub = 5, xor = 6, cmp = 7
        var base: UInt8 { rawValue << 3 }
    }

    /// Branch conditions (the low nibble of 0F 8x).
    enum Condition: UInt8 {
        case below = 0x2, aboveOrEqual = 0x3, equal = 0x4, notEqual = 0x5, belowOrEqual = 0x6, above = 0x7
    }

    /// `op dst, src` (registers) — base+1 /r.
    mutating func alu(_ op: ALU, _ w: Width, _ dst: Reg64, _ src: Reg64) {
        modrm([op.base + 1], w: w == .q, reg: src.rawValue, rm: dst)
    }
    /// `op dst, [m]` — base+3 /r.
    mutating func alu(_ op: ALU, _ w: Width, _ dst: Reg64, _ m: Mem) {
        modrm([op.base + 3], w: w == .q, reg: dst.rawValue, m)
    }
    /// `op dst, imm` — 83 /digit ib when the immediate fits a signed byte, else 81 /digit id.
    mutating func alu(_ op: ALU, _ w: Width, _ dst: Reg64, imm: Int32) {
        if let i8 = Int8(exactly: imm) {
            modrm([0x83], w: w == .q, reg: op.rawValue, rm: dst)
            bytes.append(UInt8(bitPattern: i8))
        } else {
            modrm([0x81], w: w == .q, reg: op.rawValue, rm: dst)
            appendLE(UInt64(UInt32(bitPattern: imm)), 4)
        }
    }
    /// `test r, imm32` — F7 /0 id.
    mutating func test(_ w: Width, _ r: Reg64, imm: UInt32) {
        modrm([0xF7], w: w == .q, reg: 0, rm: r)
        appendLE(UInt64(imm), 4)
    }
    /// `test a, b` — 85 /r.
    mutating func test(_ w: Width, _ a: Reg64, _ b: Reg64) { modrm([0x85], w: w == .q, reg: b.rawValue, rm: a) }

    /// `mov dst, src` — 89 /r.
    mutating func mov(_ w: Width, _ dst: Reg64, _ src: Reg64) { modrm([0x89], w: w == .q, reg: src.rawValue, rm: dst) }
    /// `mov dst, [m]` — 8B /r.
    mutating func load(_ w: Width, _ dst: Reg64, _ m: Mem) { modrm([0x8B], w: w == .q, reg: dst.rawValue, m) }
    /// `mov [m], src` — 89 /r.
    mutating func store(_ w: Width, _ m: Mem, _ src: Reg64) { modrm([0x89], w: w == .q, reg: src.rawValue, m) }
    /// `mov byte [m], imm8` — C6 /0 ib.
    mutating func storeByte(_ m: Mem, _ v: UInt8) {
        modrm([0xC6], w: false, reg: 0, m)
        bytes.append(v)
    }
    /// `movzx r32, byte [m]` — 0F B6 /r.
    mutating func loadByte(_ dst: Reg64, _ m: Mem) { modrm([0x0F, 0xB6], w: false, reg: dst.rawValue, m) }
    /// `lea dst, [m]` — REX.W 8D /r.
    mutating func lea(_ dst: Reg64, _ m: Mem) { modrm([0x8D], w: true, reg: dst.rawValue, m) }
    /// `lea dst, [rip + label]` — REX.W 8D /r, ModRM 00 reg 101, disp32 (position-independent).
    mutating func lea(_ dst: Reg64, label: String) {
        bytes += [rex(w: true, r: dst.extended), 0x8D, 0x05 | dst.low << 3]
        relative(label)
    }

    /// `ror r, imm8` — C1 /1 ib.
    mutating func ror(_ w: Width, _ r: Reg64, _ n: UInt8) { shift(1, w, r, n) }
    /// `shr r, imm8` — C1 /5 ib.
    mutating func shr(_ w: Width, _ r: Reg64, _ n: UInt8) { shift(5, w, r, n) }
    /// `shl r, imm8` — C1 /4 ib.
    mutating func shl(_ w: Width, _ r: Reg64, _ n: UInt8) { shift(4, w, r, n) }
    private mutating func shift(_ digit: UInt8, _ w: Width, _ r: Reg64, _ n: UInt8) {
        modrm([0xC1], w: w == .q, reg: digit, rm: r)
        bytes.append(n)
    }
    /// `not r` — F7 /2.
    mutating func not(_ w: Width, _ r: Reg64) { modrm([0xF7], w: w == .q, reg: 2, rm: r) }
    /// `bswap r` — (REX) 0F C8+r.
    mutating func bswap(_ w: Width, _ r: Reg64) {
        if w == .q || r.extended { bytes.append(rex(w: w == .q, b: r.extended)) }
        bytes += [0x0F, 0xC8 + r.low]
    }

    /// `jcc rel32` to a label — 0F 80+cc cd.
    mutating func jump(if c: Condition, _ target: String) {
        bytes += [0x0F, 0x80 | c.rawValue]
        relative(target)
    }

    /// `test al, imm8` — A8 ib.
    mutating func testAL(_ v: UInt8) { bytes += [0xA8, v] }
    /// `in al, dx` — EC.
    mutating func inALFromDX() { bytes.append(0xEC) }
    /// `out dx, al` — EE.
    mutating func outDXFromAL() { bytes.append(0xEE) }
    /// `cpuid` — 0F A2 (leaf in eax, subleaf in ecx; results in eax, ebx, ecx, edx).
    mutating func cpuid() { bytes += [0x0F, 0xA2] }
    /// `mov r64, crN` — 0F 20 /r (ModRM reg = N, rm = the register).
    mutating func movFromCR(_ r: Reg64, cr: UInt8) { modrm([0x0F, 0x20], w: false, reg: cr, rm: r) }
    /// `mov crN, r64` — 0F 22 /r.
    mutating func movToCR(cr: UInt8, _ r: Reg64) { modrm([0x0F, 0x22], w: false, reg: cr, rm: r) }
    /// `pause` — F3 90 (the spin-wait hint).
    mutating func pause() { bytes += [0xF3, 0x90] }
}
