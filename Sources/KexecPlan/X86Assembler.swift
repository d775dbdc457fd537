/// A tiny x86-64 encoder for the handful of instructions the purgatory needs. Each method
/// emits one instruction's bytes (Intel SDM vol. 2 encodings noted inline); absolute
/// addresses of labels are patched by `finish(base:)` once the load address is known.
struct X86Assembler {
    enum Reg64: UInt8 { case rax = 0, rcx, rdx, rbx, rsp, rbp, rsi, rdi }
    enum SegReg: UInt8 { case es = 0, cs, ss, ds, fs, gs }
    /// An immediate that is either known now or the absolute address of a label.
    enum Imm64 { case value(UInt64), label(String) }

    private(set) var bytes: [UInt8] = []
    private var labels: [String: Int] = [:]
    private var fixups: [(offset: Int, label: String)] = []

    /// Marks the current offset.
    mutating func label(_ name: String) { labels[name] = bytes.count }
    func offset(of name: String) -> Int? { labels[name] }

    /// `cli` — FA.
    mutating func cli() { bytes.append(0xFA) }
    /// `cld` — FC.
    mutating func cld() { bytes.append(0xFC) }
    /// `mov r64, imm64` — REX.W B8+r io.
    mutating func mov(_ r: Reg64, _ imm: Imm64) {
        bytes += [0x48, 0xB8 + r.rawValue]
        switch imm {
        case .value(let v): appendLE(v, 8)
        case .label(let l):
            fixups.append((bytes.count, l))
            appendLE(0, 8)
        }
    }
    /// `mov r32, imm32` — B8+r id (zero-extends into the 64-bit register).
    mutating func mov32(_ r: Reg64, _ imm: UInt32) {
        bytes.append(0xB8 + r.rawValue)
        appendLE(UInt64(imm), 4)
    }
    /// `xor r32, r32` — 31 /r, ModRM 11 src dst (clears the whole 64-bit register).
    mutating func xor32(_ r: Reg64) { bytes += [0x31, 0xC0 | r.rawValue << 3 | r.rawValue] }
    /// `mov sreg, r32` — 8E /r, ModRM 11 sreg r.
    mutating func movSeg(_ s: SegReg, _ r: Reg64) { bytes += [0x8E, 0xC0 | s.rawValue << 3 | r.rawValue] }
    /// `lgdt [r64]` — 0F 01 /2, ModRM 00 010 r (r not rsp/rbp).
    mutating func lgdt(_ r: Reg64) {
        precondition(r != .rsp && r != .rbp, "lgdt [rsp]/[rbp] need a SIB/displacement form")
        bytes += [0x0F, 0x01, 0x10 | r.rawValue]
    }
    /// `push imm8` (sign-extended to 64 bits) — 6A ib.
    mutating func push(imm8: Int8) { bytes += [0x6A, UInt8(bitPattern: imm8)] }
    /// `push r64` — 50+r.
    mutating func push(_ r: Reg64) { bytes.append(0x50 + r.rawValue) }
    /// `lretq` (far return, 64-bit operands: pops RIP then CS) — REX.W CB.
    mutating func lretq() { bytes += [0x48, 0xCB] }
    /// `rep movsb` — F3 A4.
    mutating func repMovsb() { bytes += [0xF3, 0xA4] }
    /// `jmp r64` — FF /4, ModRM 11 100 r.
    mutating func jmp(_ r: Reg64) { bytes += [0xFF, 0xE0 | r.rawValue] }
    /// `hlt` — F4.
    mutating func hlt() { bytes.append(0xF4) }
    /// `jmp rel8` — EB cb (relative to the next instruction).
    mutating func jmpShort(_ rel: Int8) { bytes += [0xEB, UInt8(bitPattern: rel)] }

    /// Raw data (GDT, descriptors).
    mutating func data(_ d: [UInt8]) { bytes += d }
    mutating func data64(_ v: UInt64) { appendLE(v, 8) }
    mutating func data16(_ v: UInt16) { appendLE(UInt64(v), 2) }
    /// Pads with zero bytes to a multiple of `n`.
    mutating func align(_ n: Int) { while bytes.count % n != 0 { bytes.append(0) } }

    /// Patches label addresses for a load at `base`; nil if a label is missing or overflows.
    func finish(base: UInt64) -> [UInt8]? {
        var out = bytes
        for f in fixups {
            guard let off = labels[f.label], let addr = Checked.add(base, UInt64(off)) else { return nil }
            for i in 0..<8 { out[f.offset + i] = UInt8(truncatingIfNeeded: addr >> (8 * UInt64(i))) }
        }
        return out
    }

    private mutating func appendLE(_ v: UInt64, _ n: Int) {
        for i in 0..<n { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }
}
