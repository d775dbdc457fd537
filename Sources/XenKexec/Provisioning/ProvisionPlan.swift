import KexecPlan
import SystemPackage

/// The load `provision` makes of a configuration, kdump-tools' settings and the system's
/// facts. Pure.
///
/// Precedence, per setting: a `XEN_KEXEC_*` key that is set, then kdump-tools' (when its file
/// is in use: present, `USE_KDUMP=1` and `XEN_KEXEC_KDUMP_TOOLS` not `no`), then the default.
/// - kernel: `XEN_KEXEC_KERNEL`, `KDUMP_KERNEL`, `/boot/vmlinuz-$(uname -r)`;
/// - initrd: `XEN_KEXEC_INITRD`; else the initrd that goes with the kernel chosen: kdump-tools'
///   `KDUMP_INITRD` (none if empty) with `KDUMP_KERNEL`, `/boot/initrd.img-$(uname -r)` otherwise;
/// - base command line: `XEN_KEXEC_CMDLINE`, `KDUMP_CMDLINE`, dom0's `/proc/cmdline`;
/// - appended words: `KDUMP_CMDLINE_APPEND` (kdump-config's default when unset, which starts
///   `kdump-tools-dump.service`), then `XEN_KEXEC_CMDLINE_APPEND`: both, the latter last.
public struct ProvisionPlan: Equatable, Sendable {
    public var kernel: String
    public var initrd: String?
    public var type: LoadType
    public var commandLine: String
    /// Where the kernel, initrd and command line came from, for the journal.
    public var sources: [String] = []

    public init(_ config: ProvisionConfig, kdumpTools: KdumpToolsDefaults? = nil, facts: ProvisionFacts) {
        let release = facts.kernelRelease
        let kdump = kdumpTools.flatMap { $0.useKdump ? $0 : nil }
        let kdumpKernel = kdump?.crashKernel(release: release)
        let file = KdumpToolsDefaults.path
        if let explicit = config.kernel {
            kernel = explicit
        } else if let k = kdumpKernel {
            kernel = k.kernel
            sources.append("kernel from \(file) KDUMP_KERNEL=\(kdump?.kernel ?? "")")
        } else {
            kernel = "/boot/vmlinuz-\(release)"
        }
        switch config.initrd {
        case .some(let explicit): initrd = explicit
        case .none:
            if config.kernel == nil, let k = kdumpKernel {
                initrd = k.initrd
                sources.append("initrd from \(file) KDUMP_INITRD=\(kdump?.initrd ?? "")")
            } else {
                initrd = "/boot/initrd.img-\(release)"
            }
        }
        type = config.resolvedType(lockdownMode: facts.lockdownMode, secureBoot: facts.secureBoot)
        var base = facts.dom0CommandLine
        if let explicit = config.commandLine {
            base = explicit
        } else if let c = kdump?.commandLine {
            base = c
            sources.append("command line from \(file) KDUMP_CMDLINE")
        }
        var append = [String]()
        if let k = kdump {
            append.append(k.commandLineAppend)
            sources.append("appended \(file) KDUMP_CMDLINE_APPEND=\"\(k.commandLineAppend)\"")
        }
        if let a = config.commandLineAppend { append.append(a) }
        commandLine = CrashCommandLine.make(
            base: base, xenCommandLine: facts.xenCommandLine,
            additions: config.crashDefaults, append: append.isEmpty ? nil : append.joined(separator: " "))
    }

    public var invocation: LoadInvocation {
        LoadInvocation(
            kernel: FilePath(kernel), initrd: initrd.map { FilePath($0) },
            request: PlanRequest(type: type, commandLine: CommandLineRequest(replacement: commandLine)))
    }
}
