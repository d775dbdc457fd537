import Testing
import KexecPlan
@testable import XenKexec

/// `/etc/default/kdump-tools` as Debian kdump-tools 1.8 ships it (comments shortened).
let debianKdumpToolsFile = """
    # kdump-tools configuration
    USE_KDUMP=1
    KDUMP_KERNEL=/var/lib/kdump/vmlinuz
    KDUMP_INITRD=/var/lib/kdump/initrd.img
    KDUMP_COREDIR="/var/crash"
    #KDUMP_FAIL_CMD="reboot -f"
    #MAKEDUMP_ARGS="-c -d 31"
    #KDUMP_KEXEC_ARGS=""
    #KDUMP_CMDLINE=""
    #KDUMP_CMDLINE_APPEND="reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb"
    #HOSTTAG="hostname|[ip]"
    #NFS="<nfs mount>"
    """

@Suite struct KdumpToolsDefaultsTests {
    @Test func debiansShippedFileResolvesLikeKdumpConfig() throws {
        let d = try KdumpToolsDefaults.parse(debianKdumpToolsFile)
        #expect(d.useKdump)
        #expect(d.commandLine == nil)
        #expect(d.commandLineAppend == KdumpToolsDefaults.defaultCommandLineAppend)
        #expect(d.commandLineAppend.contains("systemd.unit=kdump-tools-dump.service"))
        #expect(d.skippedLines.isEmpty)
        let k = try #require(d.crashKernel(release: "6.1.0-41-amd64"))
        #expect(k.kernel == "/boot/vmlinuz-6.1.0-41-amd64")
        #expect(k.initrd == "/var/lib/kdump/initrd.img-6.1.0-41-amd64")
    }

    @Test func explicitPathsAreKeptAndAnEmptyInitrdIsNone() throws {
        let d = try KdumpToolsDefaults.parse("""
            USE_KDUMP=1
            KDUMP_KERNEL=/boot/vmlinuz-crash
            KDUMP_INITRD=
            KDUMP_CMDLINE="root=/dev/xvda1 ro"
            KDUMP_CMDLINE_APPEND='systemd.unit=kdump-tools-dump.service nr_cpus=2'
            """)
        let k = try #require(d.crashKernel(release: "6.1.0-41-amd64"))
        #expect(k.kernel == "/boot/vmlinuz-crash")
        #expect(k.initrd == nil)
        #expect(d.commandLine == "root=/dev/xvda1 ro")
        #expect(d.commandLineAppend == "systemd.unit=kdump-tools-dump.service nr_cpus=2")
    }

    @Test func withoutKdumpKernelTheRunningKernelIsUsed() throws {
        let d = try KdumpToolsDefaults.parse("USE_KDUMP=1\nKDUMP_INITRD=/var/lib/kdump/initrd.img\nKDUMP_CMDLINE_APPEND=")
        #expect(d.crashKernel(release: "6.1.0-41-amd64") == nil)
        // kdump-config's ${KDUMP_CMDLINE_APPEND:=…}: empty means the default.
        #expect(d.commandLineAppend == KdumpToolsDefaults.defaultCommandLineAppend)
    }

    @Test(arguments: ["", "USE_KDUMP=0", "USE_KDUMP=", "# USE_KDUMP=1"])
    func useKdumpOffUnlessANonZeroNumber(_ text: String) throws {
        #expect(try !KdumpToolsDefaults.parse(text).useKdump)
    }

    @Test func badLinesOfKeysThisToolReadsAreErrorsWithTheirLine() {
        #expect(throws: KdumpToolsDefaultsError.line(.expansion(line: 2))) {
            try KdumpToolsDefaults.parse("USE_KDUMP=1\nKDUMP_KERNEL=/boot/vmlinuz-$(uname -r)")
        }
        #expect(throws: KdumpToolsDefaultsError.line(.unterminatedQuote(line: 3))) {
            try KdumpToolsDefaults.parse("USE_KDUMP=1\n\nexport KDUMP_CMDLINE_APPEND=\"nr_cpus=1")
        }
        #expect(throws: KdumpToolsDefaultsError.badUseKdump("yes", line: 1)) {
            try KdumpToolsDefaults.parse("USE_KDUMP=yes")
        }
        let e = KdumpToolsDefaultsError.line(.expansion(line: 2))
        #expect(e.description.contains("line 2") && e.description.contains("write the value literally"))
    }

    @Test func otherUnreadableLinesAreSkippedAndReported() throws {
        let d = try KdumpToolsDefaults.parse("""
            USE_KDUMP=1
            FTP_PASSWORD="$(cat /root/ftp-password)"
            if true; then :; fi
            KDUMP_KERNEL=/boot/vmlinuz-crash
            """)
        #expect(d.kernel == "/boot/vmlinuz-crash")
        #expect(d.skippedLines == [.expansion(line: 2), .notAssignment(line: 3)])
    }

    @Test func kexecArgumentsAreKeptForTheWarning() throws {
        #expect(try KdumpToolsDefaults.parse("KDUMP_KEXEC_ARGS=\"--elf64-core-headers\"").kexecArguments == "--elf64-core-headers")
    }

    @Test func kdumpToolsKeyTurnsTheReadingOff() throws {
        #expect(try ProvisionConfig.from(DefaultsFile.parse("")).useKdumpTools)
        #expect(try !ProvisionConfig.from(DefaultsFile.parse("XEN_KEXEC_KDUMP_TOOLS=no")).useKdumpTools)
        #expect(throws: ProvisionConfigError.badValue(key: "XEN_KEXEC_KDUMP_TOOLS", value: "auto", expected: "yes or no")) {
            try ProvisionConfig.from(DefaultsFile.parse("XEN_KEXEC_KDUMP_TOOLS=auto"))
        }
    }

    @Test func appendedWordsReplaceCrashDefaultsOfTheSameName() {
        let line = CrashCommandLine.make(
            base: "root=/dev/xvda1 hugepages=64 hugepagesz=2M console=hvc0", xenCommandLine: "console=com1 com1=115200,8n1",
            append: KdumpToolsDefaults.defaultCommandLineAppend)
        #expect(line == "root=/dev/xvda1 panic=10 console=ttyS0,115200n8 reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb")
    }
}
