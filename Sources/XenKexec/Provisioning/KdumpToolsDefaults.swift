import KexecPlan

/// Debian kdump-tools' settings (`/etc/default/kdump-tools`), read the way its loader,
/// `kdump-config load`, uses them, so that `provision` arms the crash kernel kdump-tools would
/// have loaded (kdump-tools' own loader cannot reach Xen's crash slot).
///
/// What kdump-config (Debian kdump-tools 1.8) does with the keys read here:
/// - `USE_KDUMP`: unset, empty or `0` turns kdump-tools off: no kernel is loaded, and the
///   dump unit in the crash kernel saves nothing (its init script exits on `-ne 0`).
/// - `KDUMP_KERNEL`, `KDUMP_INITRD`: taken together when `KDUMP_KERNEL` is set (an empty
///   `KDUMP_INITRD` then loads no initrd); without `KDUMP_KERNEL` the running kernel
///   `/boot/vmlinuz-$(uname -r)` and `/boot/initrd.img-$(uname -r)`, whatever
///   `KDUMP_INITRD` says. The shipped file names `/var/lib/kdump/vmlinuz` and
///   `/var/lib/kdump/initrd.img`, symbolic links `kdump-config load` re-points on every load
///   at `/boot/vmlinuz-$(uname -r)` and at the kdump initrd `/var/lib/kdump/initrd.img-$(uname -r)`;
///   here those two names resolve to those targets directly, so a stale or missing link
///   (kdump-tools' loader unit is masked on Xen) does not matter.
/// - `KDUMP_CMDLINE`: the base command line (default: dom0's `/proc/cmdline`).
/// - `KDUMP_CMDLINE_APPEND`: added after the base; unset or empty means
///   ``defaultCommandLineAppend`` (kdump-config's `${KDUMP_CMDLINE_APPEND:=…}`), which starts
///   kdump-tools' dump unit in the crash kernel.
/// - `KDUMP_KEXEC_ARGS`: options of kexec-tools' `kexec`; they have no meaning here and are
///   reported as ignored.
///
/// Every other key (`KDUMP_COREDIR`, `MAKEDUMP_ARGS`, …) belongs to the dump side, which
/// kdump-tools runs itself in the crash kernel.
public struct KdumpToolsDefaults: Equatable, Sendable {
    /// Where Debian's kdump-tools keeps its defaults.
    public static let path = "/etc/default/kdump-tools"
    /// kdump-config's `KDUMP_CMDLINE_APPEND` when unset or empty.
    public static let defaultCommandLineAppend = "reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb"
    /// kdump-config's `KDUMP_DIR`, home of the links it re-points and of the kdump initrds.
    public static let kdumpDirectory = "/var/lib/kdump"
    /// The keys read here; a line assigning one of them must parse.
    public static let usedKeys: Set<String> = [
        "USE_KDUMP", "KDUMP_KERNEL", "KDUMP_INITRD", "KDUMP_CMDLINE", "KDUMP_CMDLINE_APPEND", "KDUMP_KEXEC_ARGS",
    ]

    /// `USE_KDUMP` is set and not 0.
    public var useKdump: Bool
    /// `KDUMP_KERNEL`, nil when unset or empty.
    public var kernel: String?
    /// `KDUMP_INITRD`, nil when unset or empty.
    public var initrd: String?
    /// `KDUMP_CMDLINE`, nil when unset or empty.
    public var commandLine: String?
    /// `KDUMP_CMDLINE_APPEND`, or ``defaultCommandLineAppend``.
    public var commandLineAppend: String
    /// `KDUMP_KEXEC_ARGS`, nil when unset or empty (ignored; reported).
    public var kexecArguments: String?
    /// Lines not read because they are not plain assignments of values (they assign no key
    /// this tool uses); reported, never fatal.
    public var skippedLines: [DefaultsFileError]

    public init(
        useKdump: Bool = true, kernel: String? = nil, initrd: String? = nil, commandLine: String? = nil,
        commandLineAppend: String = defaultCommandLineAppend, kexecArguments: String? = nil,
        skippedLines: [DefaultsFileError] = []
    ) {
        self.useKdump = useKdump
        self.kernel = kernel
        self.initrd = initrd
        self.commandLine = commandLine
        self.commandLineAppend = commandLineAppend
        self.kexecArguments = kexecArguments
        self.skippedLines = skippedLines
    }

    /// Reads the file's text (as data: never run by a shell).
    public static func parse(_ text: String) throws(KdumpToolsDefaultsError) -> KdumpToolsDefaults {
        let parsed: (file: DefaultsFile, skipped: [DefaultsFileError])
        do {
            parsed = try DefaultsFile.parse(text, strictFor: usedKeys)
        } catch {
            throw .line(error)
        }
        let file = parsed.file
        func nonEmpty(_ k: String) -> String? { file[k].flatMap { $0.isEmpty ? nil : $0 } }
        var use = false
        if let v = nonEmpty("USE_KDUMP") {
            guard let n = Int(v) else {
                let line = file.entries.last(where: { $0.key == "USE_KDUMP" })?.line ?? 0
                throw .badUseKdump(v, line: line)
            }
            use = n != 0
        }
        return KdumpToolsDefaults(
            useKdump: use, kernel: nonEmpty("KDUMP_KERNEL"), initrd: nonEmpty("KDUMP_INITRD"),
            commandLine: nonEmpty("KDUMP_CMDLINE"),
            commandLineAppend: nonEmpty("KDUMP_CMDLINE_APPEND") ?? defaultCommandLineAppend,
            kexecArguments: nonEmpty("KDUMP_KEXEC_ARGS"), skippedLines: parsed.skipped)
    }

    /// The kernel and initrd kdump-config would load on kernel release `release`, or nil when
    /// `KDUMP_KERNEL` is not set (kdump-config then loads the running kernel with its
    /// initrd, which is `provision`'s own default).
    public func crashKernel(release: String) -> (kernel: String, initrd: String?)? {
        guard let kernel else { return nil }
        return (Self.resolve(kernel, release: release), initrd.map { Self.resolve($0, release: release) })
    }

    /// kdump-config's two links, as `kdump-config load` re-points them for `release`
    /// (`create_symlink`: `vmlinuz` → `/boot/vmlinuz-<release>`, `initrd.img` →
    /// `/var/lib/kdump/initrd.img-<release>`); any other path unchanged.
    static func resolve(_ path: String, release: String) -> String {
        switch path {
        case "\(kdumpDirectory)/vmlinuz": "/boot/vmlinuz-\(release)"
        case "\(kdumpDirectory)/initrd.img": "\(kdumpDirectory)/initrd.img-\(release)"
        default: path
        }
    }
}

/// Why `/etc/default/kdump-tools` cannot be used; each case names the line and what to write.
public enum KdumpToolsDefaultsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A line assigning a key this tool reads is not a plain value.
    case line(DefaultsFileError)
    /// `USE_KDUMP` is not a number.
    case badUseKdump(String, line: Int)

    public var description: String {
        switch self {
        case .line(let e): "\(e.description) (a setting xen-kexec-load reads for the crash kernel)"
        case .badUseKdump(let v, let l): "line \(l): USE_KDUMP=\(v): expected 1 (use kdump-tools' settings) or 0"
        }
    }
}
