import ArgumentParser
import KexecPlan
import Logging
import SystemPackage
import XenKexec

/// `xen-kexec-fidelity fault-load KERNEL …`: the load of `xen-kexec-load load` with a fault
/// injected, for the e2e scenarios that need Xen to refuse a reload or the purgatory to refuse
/// its segments. It runs the library's `CrashKernelLoader` with `xen-kexec-load`'s state
/// (`ArmedImageStore.defaultDirectory`) under its single-instance lock
/// (`InstanceLock.defaultPath`), so `xen-kexec-load status` and later loads see what it did.
/// There is no Secure Boot gate. The log lines are the library's, on stderr; the exit status
/// is `xen-kexec-load load`'s for the same error (``FaultLoadExit``).
struct FaultLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault-load",
        abstract: "Test only: load a kernel as `xen-kexec-load load` does, with an injected fault."
    )

    @Argument(help: "The kernel image (bzImage, signed bzImage).", completion: .file())
    var kernel: String

    @Option(help: "An initrd for the new kernel.", completion: .file())
    var initrd: String?

    @Option(help: "The slot to load: crash (on panic) or default (for `exec`).")
    var type: Slot = .crash

    @Flag(help: "Use Xen's EFI crash load type (KEXEC_TYPE_CRASH_EFI).")
    var efi = false

    @Option(help: "Text to add to the new kernel's command line.")
    var append: String?

    @Option(name: .customLong("command-line"), help: "The new kernel's whole command line.")
    var commandLine: String?

    @Flag(name: .shortAndLong, help: "Log more (repeat for debug output and libxenctrl's messages).")
    var verbose: Int

    @Flag(name: .customLong("skip-preflight"),
          help: "Plan without Xen's rules and send the plan even if they refuse it (their verdict is logged).")
    var skipPreflight = false

    @Option(help: "With --skip-preflight: send this ELF machine number instead of the plan's (Xen checks it only after copying crash segments, e.g. 183, EM_AARCH64).")
    var arch: UInt16?

    @Flag(name: .customLong("no-restore"),
          help: "When Xen refuses a crash reload, leave the slot as Xen left it (the record is marked possibly damaged).")
    var noRestore = false

    @Flag(name: .customLong("corrupt-purgatory-digest"),
          help: "The purgatory records a wrong digest (one bit flipped), so it must refuse to start the kernel.")
    var corruptPurgatoryDigest = false

    enum Slot: String, ExpressibleByArgument, CaseIterable {
        case crash
        case `default`
    }

    func validate() throws {
        if efi && type != .crash { throw ValidationError("--efi is a crash load type; it cannot be combined with --type default") }
        if arch != nil && !skipPreflight { throw ValidationError("--arch needs --skip-preflight") }
    }

    var invocation: LoadInvocation {
        let loadType: LoadType = efi ? .crashEFI : type == .crash ? .crash : .default
        return LoadInvocation(
            kernel: FilePath(kernel), initrd: initrd.map { FilePath($0) },
            request: PlanRequest(
                type: loadType, commandLine: CommandLineRequest(replacement: commandLine, append: append),
                corruptPurgatoryDigest: corruptPurgatoryDigest),
            preflight: skipPreflight ? .skip(arch: arch) : .enforce, restoreOnRefusal: !noRestore)
    }

    func run() async throws {
        let logger = FaultLoadLogHandler.bootstrap(verbosity: verbose)
        do throws(KexecError) {
            let loader = CrashKernelLoader(
                hypervisor: try XenctrlHypervisor.open(verboseLibxenctrl: verbose >= 2),
                store: ArmedImageStore(directory: ArmedImageStore.defaultDirectory), logger: logger)
            // xen-kexec-load's lock and its default wait (BackendOptions.swift, StateOptions).
            let lock = try InstanceLock.acquire(InstanceLock.defaultPath, timeoutSeconds: 60) {
                logger.notice("waiting for another xen-kexec-load to release \(InstanceLock.defaultPath) (up to 60 s)")
            }
            defer { lock.release() }
            _ = try await loader.load(invocation)
        } catch {
            let code = FaultLoadExit.code(error)
            logger.error("fault-load failed (exit \(code)): \(error)")
            throw ExitCode(code)
        }
    }
}
