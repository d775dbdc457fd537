import Testing
import KexecPlan
@testable import XenKexec

/// Real-world Xen command lines (Debian GRUB's `GRUB_CMDLINE_XEN`, XenServer, openSUSE docs,
/// this project's QEMU harness) and the Linux consoles the crash kernel must get.
@Test(arguments: [
    ("console=com1 com1=115200,8n1 dom0_mem=512M,max:512M crashkernel=256M@1G loglvl=all guest_loglvl=all",
     ["console=ttyS0,115200n8"]),
    ("dom0_mem=4096M,max:4096M watchdog ucode=scan dom0_max_vcpus=1-16 crashkernel=256M,below=4G console=vga vga=mode-0x0311",
     ["console=tty0"]),
    ("console=com1,vga com1=115200,8n1 crashkernel=512M", ["console=tty0", "console=ttyS0,115200n8"]),
    ("console=com2 com2=57600,8n1 crashkernel=256M", ["console=ttyS1,57600n8"]),
    ("console=com1 com1=auto,8n1", ["console=ttyS0,115200n8"]),
    ("console=com1", ["console=ttyS0,115200"]),
    ("console=com1 com1=115200/1843200,8n1,0x2f8,3", ["console=uart8250,io,0x2f8,115200n8"]),
    ("console=com1 com1=9600,7e1,0x3f8,4", ["console=ttyS0,9600e7"]),
    ("console=dbgp dbgp=ehci", []),
    ("console=none", []),
    ("dom0_mem=1G crashkernel=256M", []),
    ("console=vga console=com1 com1=38400,8n1", ["console=ttyS0,38400n8"]),  // the later console= wins, as in Xen
])
func xenConsoleTranslation(xen: String, expected: [String]) {
    #expect(XenSerialConsole.linuxConsoles(fromXenCommandLine: xen) == expected)
}

@Test func crashCommandLineFromDom0() {
    let dom0 = "BOOT_IMAGE=/vmlinuz-6.1.0-56-amd64 root=UUID=1234 ro console=hvc0 earlyprintk=xen quiet crashkernel=384M-:128M nr_cpus=4"
    let xen = "placeholder console=com1 com1=115200,8n1 dom0_mem=2G"
    let line = CrashCommandLine.make(base: dom0, xenCommandLine: xen)
    #expect(line == "root=UUID=1234 ro quiet nr_cpus=1 irqpoll reset_devices panic=10 console=ttyS0,115200n8")
}

@Test func crashCommandLineKeepsDom0ConsoleWithoutXenSerial() {
    let line = CrashCommandLine.make(base: "root=/dev/sda1 console=tty0 console=hvc0", xenCommandLine: "dom0_mem=1G", additions: ["irqpoll"], append: "rdinit=/init")
    #expect(line == "root=/dev/sda1 console=tty0 irqpoll rdinit=/init")
}

@Test func crashCommandLineKeepsQuotedWords() {
    let line = CrashCommandLine.make(base: "root=/dev/sda1 foo=\"a b c\" BOOT_IMAGE=x", xenCommandLine: nil, additions: [])
    #expect(line == "root=/dev/sda1 foo=\"a b c\"")
    #expect(KernelCommandLineWords.split("a  \"b c\" d=\"e f\"") == ["a", "\"b c\"", "d=\"e f\""])
}
