import KexecPlan

/// Translation of Xen's serial console settings into a Linux `console=` for the crash kernel.
///
/// After a Xen panic the crash kernel owns the hardware, so it must print on the UART Xen
/// used: Xen's `console=com1` with `com1=115200,8n1` becomes Linux's `console=ttyS0,115200n8`
/// (openSUSE's kdump and XenServer's xs-kdump do the same). Xen's `vga` console becomes
/// `tty0`; `dbgp`, `ehci`, `xhci` and `none` have no Linux counterpart and are dropped.
/// The serial console comes last, so it is the crash kernel's `/dev/console`.
/// Xen documents the syntax in `docs/misc/xen-command-line.pandoc` (`console`, `com1`, `com2`).
public enum XenSerialConsole {
    /// Baud rate used when Xen's `comN=` gives none or says `auto`.
    public static let defaultBaud = "115200"
    /// The legacy I/O bases of COM1–COM4; a `comN=` with another base gets `uart8250,io,…`.
    static let legacyIOBase: [Int: String] = [1: "0x3f8", 2: "0x2f8", 3: "0x3e8", 4: "0x2e8"]

    /// Linux `console=` words for Xen's command line `xen`, in order (serial last).
    public static func linuxConsoles(fromXenCommandLine xen: String) -> [String] {
        let words = KernelCommandLineWords.split(xen)
        var comSettings: [Int: String] = [:]
        var consoles: [String] = []
        for w in words {
            let key = KernelCommandLineWords.key(of: w)
            guard let value = KernelCommandLineWords.value(of: w) else { continue }
            if key == "console" {
                // A later console= replaces an earlier one in Xen.
                consoles = value.split(separator: ",").map(String.init)
            } else if key.hasPrefix("com"), let n = Int(key.dropFirst(3)), (1...4).contains(n) {
                comSettings[n] = String(value)
            }
        }
        var out: [String] = []
        var serial: [String] = []
        for c in consoles {
            if c == "vga" {
                out.append("console=tty0")
            } else if c.hasPrefix("com"), let n = Int(c.dropFirst(3)), (1...4).contains(n) {
                serial.append(linuxSerial(port: n, settings: comSettings[n]))
            }
        }
        return out + serial
    }

    /// `console=` for Xen's COM port `port` with its `comN=` value (`baud[/clock][,DPS[,io-base[,irq…]]]`).
    static func linuxSerial(port: Int, settings: String?) -> String {
        let fields = (settings ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var baud = fields.first.map { String($0.split(separator: "/").first ?? "") } ?? ""
        if baud.isEmpty || baud == "auto" || Int(baud) == nil { baud = defaultBaud }
        var options = baud
        if fields.count > 1, let dps = dataParityStop(fields[1]) { options += dps }
        if fields.count > 2, fields[2].hasPrefix("0x"), fields[2].lowercased() != legacyIOBase[port] {
            return "console=uart8250,io,\(fields[2].lowercased()),\(options)"
        }
        return "console=ttyS\(port - 1),\(options)"
    }

    /// Xen's `DPS` (data bits, parity, stop bits: `8n1`) as Linux's `<parity><bits>` (`n8`).
    static func dataParityStop(_ dps: String) -> String? {
        let chars = Array(dps)
        guard chars.count == 3, let bits = chars[0].wholeNumberValue, (5...8).contains(bits),
              "noems".contains(chars[1]) else { return nil }
        return "\(chars[1])\(bits)"
    }
}
