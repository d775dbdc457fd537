import ArgumentParser
import KexecImage
import KexecPlan
import Logging
import SystemPackage
import XenKexec

/// `xen-kexec-load load`: plan a kernel for this host, check the plan against Xen's rules,
/// and load it, re-arming the previous crash kernel if Xen refuses.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load a crash (or default) kernel into Xen.",
        discussion: """
            Reads KERNEL (and --initrd) once, from root-owned files that only root can write, \
            plans the segments inside Xen's crash region, refuses any plan that breaks Xen's \
            rules, and loads it through libxenctrl. If Xen still refuses a crash reload, the \
            slot is unloaded and the previously armed kernel re-armed from its record. Prints \
            the plan digest. With --dry-run, plans from the live host and loads nothing. \
            Under lockdown (or --require-signature) the kernel's Authenticode signature is \
            verified against db, MokListRT and --trust-cert before anything is sent to Xen, and \
            classic load types are refused unless --allow-unverified-kernel is given (exit 80).
            """
    )

    @Argument(help: "The kernel image (bzImage, signed bzImage).", completion: .file())
    var kernel: String

    @Option(help: "An initrd for the new kernel.", completion: .file())
    var initrd: String?

    @Option(help: "The slot to load: crash (on panic) or default (for `exec`).")
    var type: SlotArgument = .crash

    @Flag(help: "Use Xen's EFI crash load type (KEXEC_TYPE_CRASH_EFI): the signed image is loaded whole, no purgatory.")
    var efi = false

    @Option(help: "Text to add to the new kernel's command line.")
    var append: String?

    @Option(name: .customLong("command-line"), help: "The new kernel's whole command line.")
    var commandLine: String?

    @Flag(name: .customLong("reuse-cmdline"), help: "Start from dom0's command line (/proc/cmdline).")
    var reuseCmdline = false

    @Flag(name: .customLong("dry-run"), help: "Plan from the live host and print the plan; load nothing.")
    var dryRun = false

    @Flag(name: .customLong("xen-reads-unaligned-header"),
          help: "With --efi: this Xen reads segment 0's setup header at its in-page offset (not the v2 patch as posted).")
    var xenReadsUnalignedHeader = false

    @Option(name: .customLong("acpi-rsdp"), help: AcpiRsdpHelp.text)
    var acpiRsdp: MachineAddressArgument?

    @OptionGroup var signature: SignatureOptions
    @OptionGroup var common: CommonOptions
    @OptionGroup var state: StateOptions

    func validate() throws {
        if efi && type != .crash { throw ValidationError("--efi is a crash load type; it cannot be combined with --type default") }
        if commandLine != nil && reuseCmdline { throw ValidationError("--command-line and --reuse-cmdline exclude each other") }
    }

    var loadType: LoadType { efi ? .crashEFI : type.loadType }

    func run() async throws {
        let gate = signature.gate()
        try await common.run { (logger: Logger) async throws(KexecError) in
            let reuse = reuseCmdline ? try signature.dom0.commandLine() : nil
            let invocation = LoadInvocation(
                kernel: FilePath(kernel), initrd: initrd.map { FilePath($0) },
                request: PlanRequest(
                    type: loadType, commandLine: CommandLineRequest(replacement: commandLine, append: append, reuse: reuse),
                    xenReadsUnalignedHeader: xenReadsUnalignedHeader),
                preflight: .enforce, restoreOnRefusal: true)
            // The Secure Boot gate is a step of the loader's pipeline: it verifies the bytes
            // read for loading before any hypercall. A classic type under the policy is
            // refused before libxenctrl is even opened.
            try gate.admit(type: loadType, kernel: invocation.kernel, logger: nil)
            let loader = CrashKernelLoader(
                hypervisor: try common.openHypervisor(), store: state.store,
                firmware: AcpiRsdpHelp.discovery(acpiRsdp, dom0: signature.dom0), gate: gate, logger: logger)
            if dryRun {
                let outcome = try await loader.dryRun(invocation)
                printPlan(outcome.plan)
                if let refusal = outcome.refusal { throw .plan(.refusedByXen(refusal)) }
                logger.notice("planned \(loadType.name) image: \(outcome.plan.segments.count) segments, digest \(hexDigits(outcome.plan.digest)) (dry run, nothing loaded)")
                return
            }
            let lock = try state.lock(logger)
            defer { lock.release() }
            printPlan(try await loader.load(invocation).plan)
        }
    }

    /// The plan on stdout: `plan --json`'s JSON (digest included) or `plan`'s table.
    private func printPlan(_ plan: KexecLoadRequest) {
        Output.text(common.json ? PlanJSON.encode(PlanJSON.Plan(plan)) : PlanTable.render(plan))
    }
}
