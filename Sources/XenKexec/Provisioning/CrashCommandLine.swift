import KexecPlan

/// The command line a crash kernel gets on a Xen host.
///
/// dom0's own command line describes a PV guest: `console=hvc0` (Xen's virtual console, gone
/// after a Xen panic: openSUSE bsc#1173914 "causes the kdump kernel to hang"),
/// `earlyprintk=xen`, `xencons=`, and possibly `crashkernel=` and `BOOT_IMAGE=`. The crash kernel
/// runs on bare metal, so those are dropped (with `hugepages=`, `hugepagesz=` and `abm=`, which
/// Debian kdump-tools' `kdump-config` also strips: a crash kernel cannot spare huge pages), Xen's serial console is translated
/// (`XenSerialConsole`), and the crash defaults are added (overriding the same parameters in the
/// base): one CPU, polled IRQs, device resets and a reboot after a panic.
public enum CrashCommandLine {
    /// Added unless the configuration overrides them (`XEN_KEXEC_CRASH_DEFAULTS`).
    public static let defaultAdditions = ["nr_cpus=1", "irqpoll", "reset_devices", "panic=10"]

    /// Parameters of dom0's command line that must not reach the crash kernel.
    static func isDropped(_ word: String) -> Bool {
        let key = KernelCommandLineWords.key(of: word)
        let value = KernelCommandLineWords.value(of: word) ?? ""
        switch key {
        case "BOOT_IMAGE", "crashkernel", "xencons", "initrd", "elfcorehdr", "hugepages", "hugepagesz", "abm": return true
        case "console": return value.hasPrefix("hvc")
        case "earlyprintk": return value.hasPrefix("xen")
        default: return false
        }
    }

    /// Builds the crash kernel's command line.
    ///
    /// - Parameters:
    ///   - base: dom0's command line (`/proc/cmdline`) or a configured base.
    ///   - xenCommandLine: Xen's own command line (`XENVER_commandline`), for the serial console.
    ///   - additions: the crash defaults (`defaultAdditions` unless configured).
    ///   - append: extra words added last (`KDUMP_CMDLINE_APPEND`, `XEN_KEXEC_CMDLINE_APPEND`);
    ///     a crash default with the same parameter name is left out (the appended word wins).
    public static func make(base: String, xenCommandLine: String?, additions: [String] = defaultAdditions, append: String? = nil) -> String {
        let consoles = xenCommandLine.map(XenSerialConsole.linuxConsoles(fromXenCommandLine:)) ?? []
        let appended = append.map(KernelCommandLineWords.split) ?? []
        let appendedKeys = Set(appended.map { KernelCommandLineWords.key(of: $0) })
        var tail = additions.filter { !appendedKeys.contains(KernelCommandLineWords.key(of: $0)) }
        tail += consoles
        tail += appended
        let overridden = Set(tail.map { KernelCommandLineWords.key(of: $0) })
        var words = KernelCommandLineWords.split(base).filter { w in
            if isDropped(w) { return false }
            // A console= in the base is replaced by the translated Xen console, if there is one.
            let key = KernelCommandLineWords.key(of: w)
            if key == "console" { return consoles.isEmpty }
            return !overridden.contains(key)
        }
        words += tail
        return KernelCommandLineWords.join(words)
    }
}
