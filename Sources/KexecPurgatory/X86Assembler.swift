/// A small x86-64 encoder for the instructions the purgatory needs (Intel SDM vol. 2
/// encodings noted on each method). Absolute label addresses (`mov r64, imm64`) are patched
/// by `finish(base:)` once the load address is known; relative ones (`jmp`/`jcc`/`call`
/// rel32, RIP-relative `lea`) do not depend on it, so code that uses only those runs
/// anywhere. The arithmetic, memory and port instructions are in `X86Assembler+Operations`.
struct X86Assembler {
    /// The sixteen general registers by their encoding number (r8–r15 need a REX prefix bit).
    enum Reg64: UInt8 {
        case rax = 0, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
        var low: UInt8 { rawValue & 7 }
        var extended: Bool { rawValue >= 8 }
    }
    enum SegReg: UInt8 { case es = 0, cs, ss, ds, fs, gs }
    /// An immediate that is either known now or the absolute address of a label.
    enum Imm64 { case value(UInt64), label(String) }

    var bytes: [UInt8] = []
    private var labels: [String: Int] = [:]
    /// 8-byte absolute addresses of labels (depend on the load address).
    private var absoluteFixups: [(offset: Int, label: String)] = []
    /// 4-byte displacements relative to the end of the 4-byte field (RIP-relative).
    private var relativeFixups: [(offset: Int, label: String)] = []

    /// Marks the current offset.
    mutating func label(_ name: String) { labels[name] = bytes.count }
    func offset(of name: String) -> Int? { labels[name] }

    /// `cli` — FA.
    mutating func cli() { bytes.append(0xFA) }
    /// `cld` — FC.
    mutating func cld() { bytes.append(0xFC) }
    /// `mov r64, imm64` — REX.W B8+r io.
    mutating func mov(_ r: Reg64, _ imm: Imm64) {
        bytes += [rex(w: true, b: r.extended), 0xB8 + r.low]
        switch imm {
        case .value(let v): appendLE(v, 8)
        case .label(let l):
            absoluteFixups.append((bytes.count, l))
            appendLE(0, 8)
        }
    }
    /// `mov r32, imm32` — B8+r id (zero-extends into the 64-bit register).
    mutating func mov32(_ r: Reg64, _ imm: UInt32) {
        if r.extended { bytes.append(0x41) }
        bytes.append(0xB8 + r.low)
        appendLE(UInt64(imm), 4)
    }
    /// `xor r32, r32` — 31 /r (clears the whole 64-bit register).
    mutating func xor32(_ r: Reg64) { alu(.xor, .d, r, r) }
    /// `mov sreg, r32` — 8E /r, ModRM 11 sreg r.
    mutating func movSeg(_ s: SegReg, _ r: Reg64) {
        precondition(!r.extended, "mov sreg from r8-r15 is not used")
        bytes += [0x8E, 0xC0 | s.rawValue << 3 | r.low]
    }
    /// `lgdt [r64]` — 0F 01 /2.
    mutating func lgdt(_ r: Reg64) { modrm([0x0F, 0x01], w: false, reg: 2, Mem(r)) }
    /// `lidt [r64]` — 0F 01 /3.
    mutating func lidt(_ r: Reg64) { modrm([0x0F, 0x01], w: false, reg: 3, Mem(r)) }
    /// `push imm8` (sign-extended to 64 bits) — 6A ib.
    mutating func push(imm8: Int8) { bytes += [0x6A, UInt8(bitPattern: imm8)] }
    /// `push r64` — (41) 50+r.
    mutating func push(_ r: Reg64) {
        if r.extended { bytes.append(0x41) }
        bytes.append(0x50 + r.low)
    }
    /// `pop r64` — (41) 58+r.
    mutating func pop(_ r: Reg64) {
        if r.extended { bytes.append(0x41) }
        bytes.append(0x58 + r.low)
    }
    /// `lretq` (far return, 64-bit operands: pops RIP then CS) — REX.W CB.
    mutating func lretq() { bytes += [0x48, 0xCB] }
    /// `rep movsb` — F3 A4.
    mutating func repMovsb() { bytes += [0xF3, 0xA4] }
    /// `rep stosb` — F3 AA.
    mutating func repStosb() { bytes += [0xF3, 0xAA] }
    /// `repe cmpsb` — F3 A6.
    mutating func repeCmpsb() { bytes += [0xF3, 0xA6] }
    /// `jmp r64` — (41) FF /4.
    mutating func jmp(_ r: Reg64) {
        if r.extended { bytes.append(0x41) }
        bytes += [0xFF, 0xE0 | r.low]
    }
    /// `hlt` — F4.
    mutating func hlt() { bytes.append(0xF4) }
    /// `int3` — CC.
    mutating func int3() { bytes.append(0xCC) }
    /// `ret` — C3.
    mutating func ret() { bytes.append(0xC3) }
    /// `jmp rel8` — EB cb (relative to the next instruction).
    mutating func jmpShort(_ rel: Int8) { bytes += [0xEB, UInt8(bitPattern: rel)] }
    /// `jmp rel32` to a label — E9 cd.
    mutating func jmp(_ target: String) {
        bytes.append(0xE9)
        relative(target)
    }
    /// `call rel32` to a label — E8 cd.
    mutating func call(_ target: String) {
        bytes.append(0xE8)
        relative(target)
    }

    /// Data (GDT, tables, strings).
    mutating func data(_ d: [UInt8]) { bytes += d }
    mutating func data64(_ v: UInt64) { appendLE(v, 8) }
    mutating func data32(_ v: UInt32) { appendLE(UInt64(v), 4) }
    mutating func data16(_ v: UInt16) { appendLE(UInt64(v), 2) }
    /// The 8-byte absolute address of a label, patched by `finish(base:)`.
    mutating func address(of target: String) {
        absoluteFixups.append((bytes.count, target))
        appendLE(0, 8)
    }
    /// Pads with zero bytes to a multiple of `n`.
    mutating func align(_ n: Int) { while bytes.count % n != 0 { bytes.append(0) } }

    /// Patches label addresses for a load at `base`; nil if a label is missing, a relative
    /// displacement does not fit 32 bits, or an address overflows.
    func finish(base: UInt64) -> [UInt8]? {
        var out = bytes
        for f in absoluteFixups {
            guard let off = labels[f.label] else { return nil }
            let (addr, overflow) = base.addingReportingOverflow(UInt64(off))
            guard !overflow else { return nil }
            for i in 0..<8 { out[f.offset + i] = UInt8(truncatingIfNeeded: addr >> (8 * UInt64(i))) }
        }
        for f in relativeFixups {
            guard let off = labels[f.label] else { return nil }
            let rel = off - (f.offset + 4)
            guard let rel32 = Int32(exactly: rel) else { return nil }
            let u = UInt32(bitPattern: rel32)
            for i in 0..<4 { out[f.offset + i] = UInt8(truncatingIfNeeded: u >> (8 * UInt32(i))) }
        }
        return out
    }

    // MARK: encoding helpers (used by X86Assembler+Operations)

    /// A 4-byte field holding `label − end of field`, patched by `finish`.
    mutating func relative(_ target: String) {
        relativeFixups.append((bytes.count, target))
        appendLE(0, 4)
    }

    /// REX prefix byte: 0100 W R X B.
    func rex(w: Bool, r: Bool = false, x: Bool = false, b: Bool = false) -> UInt8 {
        0x40 | (w ? 8 : 0) | (r ? 4 : 0) | (x ? 2 : 0) | (b ? 1 : 0)
    }

    /// `op` with ModRM 11 `reg` `rm` (register operands); REX only when needed.
    mutating func modrm(_ op: [UInt8], w: Bool, reg: UInt8, rm: Reg64) {
        let r = reg >= 8
        if w || r || rm.extended { bytes.append(rex(w: w, r: r, b: rm.extended)) }
        bytes += op
        bytes.append(0xC0 | (reg & 7) << 3 | rm.low)
    }

    /// `op` with a memory operand `[base + index*scale + disp]`; SIB when the base is
    /// rsp/r12 or there is an index, disp8/disp32 as needed (rbp/r13 always take a displacement).
    mutating func modrm(_ op: [UInt8], w: Bool, reg: UInt8, _ m: Mem) {
        let r = reg >= 8
        let x = m.index?.extended ?? false
        if w || r || x || m.base.extended { bytes.append(rex(w: w, r: r, x: x, b: m.base.extended)) }
        bytes += op
        let mod: UInt8
        if m.disp == 0 && m.base.low != 5 { mod = 0 } else if Int8(exactly: m.disp) != nil { mod = 1 } else { mod = 2 }
        let needsSIB = m.index != nil || m.base.low == 4
        bytes.append(mod << 6 | (reg & 7) << 3 | (needsSIB ? 4 : m.base.low))
        if needsSIB {
            let scaleBits: UInt8 = [1: 0, 2: 1, 4: 2, 8: 3][m.scale] ?? 0
            let index = m.index ?? .rsp  // 100 = no index
            precondition(index != .rsp || m.index == nil, "rsp cannot be an index")
            bytes.append(scaleBits << 6 | index.low << 3 | m.base.low)
        }
        if mod == 1 { bytes.append(UInt8(bitPattern: Int8(m.disp))) }
        if mod == 2 { appendLE(UInt64(UInt32(bitPattern: m.disp)), 4) }
    }

    mutating func appendLE(_ v: UInt64, _ n: Int) {
        for i in 0..<n { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }
}

/// A memory operand `[base + index*scale + disp]`.
struct Mem {
    var base: X86Assembler.Reg64
    var index: X86Assembler.Reg64? = nil
    var scale: UInt8 = 1
    var disp: Int32 = 0
    init(_ base: X86Assembler.Reg64, _ disp: Int32 = 0, index: X86Assembler.Reg64? = nil, scale: UInt8 = 1) {
        self.base = base
        self.disp = disp
        self.index = index
        self.scale = scale
    }
}
