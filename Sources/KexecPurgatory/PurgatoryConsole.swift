/// Where the purgatory reports: the 8250/16550 UART of the new kernel's serial `console=`
/// (Linux Documentation/admin-guide/kernel-parameters.txt, `console=ttyS<n>[,options]` and
/// `console=uart[8250],io,<addr>[,options]`; the last serial one counts, as for Linux's
/// preferred console). `ttyS0`–`ttyS3` are the legacy ports 0x3f8, 0x2f8, 0x3e8, 0x2e8
/// (Linux arch/x86/include/asm/serial.h). Without a serial `console=` the purgatory uses
/// 0x3f8 as it is; an `mmio` UART gets no messages (the check and the reset still happen).
/// When the option names a baud rate the purgatory programs it (8n1, FIFOs on, like
/// Linux's early serial console, arch/x86/boot/early_serial_console.c), otherwise it leaves
/// the UART as Xen or the firmware set it up.
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` (the port is baked into the purgatory).
public struct PurgatoryConsole: Equatable, Sendable {
    /// I/O port base, nil for no output.
    public var port: UInt16?
    /// Baud rate to program, nil to keep the UART's settings.
    public var baud: UInt32?

    public init(port: UInt16?, baud: UInt32?) {
        self.port = port
        self.baud = baud
    }

    static let legacyPorts: [UInt16] = [0x3f8, 0x2f8, 0x3e8, 0x2e8]

    /// The console of `commandLine` (the one the new kernel receives).
    public static func from(commandLine: String) -> PurgatoryConsole {
        var chosen = PurgatoryConsole(port: 0x3f8, baud: nil)
        for word in commandLine.split(separator: " ") where word.hasPrefix("console=") {
            let fields = word.dropFirst("console=".count).split(separator: ",", omittingEmptySubsequences: false)
            guard let name = fields.first else { continue }
            if name.hasPrefix("ttyS"), let n = Int(name.dropFirst(4)), n >= 0, n < legacyPorts.count {
                chosen = PurgatoryConsole(port: legacyPorts[n], baud: fields.count > 1 ? baud(fields[1]) : nil)
            } else if name == "uart" || name == "uart8250", fields.count >= 3 {
                if fields[1] == "io", let p = port(fields[2]) {
                    chosen = PurgatoryConsole(port: p, baud: fields.count > 3 ? baud(fields[3]) : nil)
                } else {
                    chosen = PurgatoryConsole(port: nil, baud: nil)  // mmio or unreadable: no port I/O
                }
            }
        }
        return chosen
    }

    /// The leading decimal digits of an option such as `115200n8`.
    private static func baud(_ option: Substring) -> UInt32? {
        let digits = option.prefix { $0.isASCII && $0.isNumber }
        guard let b = UInt32(digits), b > 0, b <= 115_200 else { return nil }
        return b
    }

    private static func port(_ s: Substring) -> UInt16? {
        s.hasPrefix("0x") ? UInt16(s.dropFirst(2), radix: 16) : UInt16(s)
    }

    /// Programs the UART when a baud rate is known: 8n1, divisor 115200 / baud, FIFOs on.
    /// It first waits (bounded) for the transmitter to be empty (LSR TEMT), so the end of
    /// Xen's last line is not cut off by the divisor change or the FIFO reset.
    func emitSetup(into a: inout X86Assembler) {
        guard let p = port, let b = baud else { return }
        a.mov32(.rcx, 0x10000)
        a.mov32(.rdx, UInt32(p &+ 5))  // LSR
        a.label("uart.drain")
        a.inALFromDX()
        a.testAL(0x40)  // TEMT
        a.jump(if: .notEqual, "uart.drained")
        a.pause()
        a.alu(.sub, .d, .rcx, imm: 1)
        a.jump(if: .notEqual, "uart.drain")
        a.label("uart.drained")
        let divisor = UInt16(115_200 / b)
        let writes: [(UInt16, UInt8)] = [
            (1, 0x00),  // IER: no interrupts
            (3, 0x80),  // LCR: DLAB
            (0, UInt8(divisor & 0xff)), (1, UInt8(divisor >> 8)),
            (3, 0x03),  // LCR: 8n1
            (2, 0x07),  // FCR: FIFOs on and cleared
            (4, 0x03),  // MCR: DTR, RTS
        ]
        for (offset, value) in writes { Self.emitOut(into: &a, port: p &+ offset, value) }
    }

    /// `puts(rsi = NUL-terminated string)`: polls the line status register's THRE bit (a
    /// bounded wait, so a missing UART cannot hang the crash path), then writes each byte.
    /// Clobbers rax, rcx, rdx, rsi. Without a port it returns at once.
    func emitPuts(into a: inout X86Assembler) {
        a.label("puts")
        guard let p = port else {
            a.ret()
            return
        }
        a.label("puts.next")
        a.loadByte(.rax, Mem(.rsi))
        a.test(.d, .rax, .rax)
        a.jump(if: .equal, "puts.done")
        a.mov32(.rcx, 0x10000)
        a.mov32(.rdx, UInt32(p &+ 5))  // LSR
        a.label("puts.wait")
        a.inALFromDX()
        a.testAL(0x20)  // THRE
        a.jump(if: .notEqual, "puts.ready")
        a.pause()
        a.alu(.sub, .d, .rcx, imm: 1)
        a.jump(if: .notEqual, "puts.wait")
        a.label("puts.ready")
        a.loadByte(.rax, Mem(.rsi))
        a.mov32(.rdx, UInt32(p))  // THR
        a.outDXFromAL()
        a.alu(.add, .q, .rsi, imm: 1)
        a.jmp("puts.next")
        a.label("puts.done")
        a.ret()
    }

    /// Resets the machine: the reset control register (port 0xCF9: system reset, then hard
    /// reset, as Linux arch/x86/kernel/reboot.c BOOT_CF9_FORCE), the keyboard controller's
    /// pulse (0x64 ← 0xFE, BOOT_KBD), and last a triple fault (an empty IDT, then `int3`,
    /// BOOT_TRIPLE). Needs the label `idtr.null` (10 zero bytes). Never returns.
    static func emitReset(into a: inout X86Assembler) {
        emitOut(into: &a, port: 0xCF9, 0x02)
        a.mov32(.rcx, 0x10000)
        a.label("reset.delay")
        a.pause()
        a.alu(.sub, .d, .rcx, imm: 1)
        a.jump(if: .notEqual, "reset.delay")
        emitOut(into: &a, port: 0xCF9, 0x06)
        emitOut(into: &a, port: 0x64, 0xFE)
        a.mov(.rax, .label("idtr.null"))
        a.lidt(.rax)
        a.int3()
        a.label("reset.halt")
        a.hlt()
        a.jmpShort(-3)
    }

    /// `mov edx, port; mov eax, value; out dx, al`.
    static func emitOut(into a: inout X86Assembler, port: UInt16, _ value: UInt8) {
        a.mov32(.rdx, UInt32(port))
        a.mov32(.rax, UInt32(value))
        a.outDXFromAL()
    }
}
