import ArgumentParser
import KexecImage
import KexecPlan
import SystemPackage
import XenKexec

/// `xen-kexec-load plan`: lays out a load offline and checks it against Xen's rules.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Lay out a kexec load offline and check it against Xen's rules.",
        discussion: """
            Prints the segments Xen would receive (index, role, dest, dest size, buf size, SHA-256), \
            the digest Xen computes for crash loads, the command line and the e820 table. Nothing \
            is loaded. The host comes from --host FILE.json (the output of `xen-kexec-load range \
            --json` in dom0, which makes the plan identical to `load --dry-run`) or from \
            --crash-region SIZE@BASE, for which a minimal host is assumed: RAM at 0-0x9fc00, \
            reserved 0x9fc00-0xa0000 and 0xf0000-0x100000, RAM from 1 MiB to the end of the crash \
            region rounded up to 1 GiB, no CPU notes and no VMCOREINFO (with --acpi-rsdp, the page \
            holding the RSDP is typed ACPI). --acpi-rsdp and --firmware replace what the host file \
            says. Impossible requests exit 65 and say what size is needed and which Xen option to \
            change; a host without a crash region, or a UEFI host without an ACPI RSDP or with \
            one in RAM, exits 78 (the same codes as `load`).
            """)

    @Argument(help: "The kernel image (bzImage or signed bzImage).", completion: .file())
    var kernel: String

    @Option(help: "The initrd file.", completion: .file())
    var initrd: String?

    @Option(help: "Load type: crash or default.")
    var type: String = "crash"

    @Flag(help: "Plan a KEXEC_TYPE_CRASH_EFI load (whole signed image, no purgatory).")
    var efi = false

    @Option(help: "Text appended to the command line.")
    var append: String?

    @Option(name: .customLong("command-line"), help: "The command line (replaces the image's own).")
    var commandLine: String?

    @Flag(help: "Start from the running kernel's /proc/cmdline, without BOOT_IMAGE= and crashkernel=.")
    var reuseCmdline = false

    @Option(name: .customLong("crash-region"), help: "Xen's crash region as crashkernel= writes it, e.g. 256M@1G.")
    var crashRegion: String?

    @Option(help: "A host description from `xen-kexec-load range --json`.", completion: .file())
    var host: String?

    @Option(name: .customLong("acpi-rsdp"), help: ArgumentHelp("The host's ACPI RSDP address (replaces the host file's).", valueName: "ADDR"))
    var acpiRsdp: MachineAddressArgument?

    @Option(help: "How the host booted, uefi or bios (replaces the host file's; default unknown, treated as bios).")
    var firmware: FirmwareArgument?

    @Flag(help: "Print the plan as JSON.")
    var json = false

    @Option(help: "Write every segment's bytes and plan.json into this directory.", completion: .directory)
    var emit: String?

    @Flag(help: "The hypervisor reads segment 0's header at its in-page offset (kern16 need not be 4 KiB aligned).")
    var xenReadsUnalignedHeader = false

    @Flag(help: "Also show each segment's own SHA-256 (informational: a second pass over the payload).")
    var segmentDigests = false

    func validate() throws {
        guard LoadType(name: type) != nil, type != LoadType.crashEFI.name else {
            throw ValidationError("--type must be crash or default (use --efi for crash-efi)")
        }
        if efi && type == "default" { throw ValidationError("--efi plans a crash load; it cannot be combined with --type default") }
        if crashRegion != nil && host != nil { throw ValidationError("give --crash-region or --host, not both") }
        if let r = crashRegion, CrashRegion.parse(r) == nil {
            throw ValidationError("--crash-region \(r): expected SIZE@BASE as in Xen's crashkernel=, e.g. 256M@1G")
        }
    }

    func run() throws {
        let loadType: LoadType = efi ? .crashEFI : (LoadType(name: type) ?? .crash)
        // Read on demand, not whole: planning and its one SHA-256 pass hold 1 MiB of a file at a time.
        let imageBytes = try openInput(kernel, what: "kernel")
        let initrdBytes = try initrd.map { try openInput($0, what: "initrd") }
        let hostDescription = try loadHost()
        var reuse: String?
        if reuseCmdline {
            do { reuse = try Dom0.live.commandLine() } catch { throw fail(Diagnosis(error)) }
        }
        let request = PlanRequest(
            type: loadType,
            commandLine: CommandLineRequest(replacement: commandLine, append: append, reuse: reuse),
            xenReadsUnalignedHeader: xenReadsUnalignedHeader, segmentDigests: segmentDigests)
        let plan: KexecLoadRequest
        do {
            plan = try Planner.plan(image: imageBytes, initrd: initrdBytes, host: hostDescription, request: request)
        } catch {
            throw fail(Diagnosis(.plan(error)))
        }
        try checkRead(imageBytes, kernel, what: "kernel")
        if let i = initrd, let b = initrdBytes { try checkRead(b, i, what: "initrd") }
        if loadType.isCrash, let region = hostDescription.crashRegion, let pages = CrashRegionPages.usable(region),
            pages != region
        {
            StandardError.write(
                "xen-kexec-load plan: note: the crash region [\(hex(region.start)), \(hex(region.start &+ region.size))) "
                    + "is not page-aligned; Xen loads segments only on whole pages inside it, so the plan uses "
                    + "[\(hex(pages.start)), \(hex(pages.start &+ pages.size)))")
        }
        if let dir = emit {
            do {
                try PlanEmitter.emit(plan, to: dir, image: imageBytes, initrd: initrdBytes)
            } catch {
                throw fail("cannot write to \(dir): \(error)", .osError)
            }
            try checkRead(imageBytes, kernel, what: "kernel")
            if let i = initrd, let b = initrdBytes { try checkRead(b, i, what: "initrd") }
        }
        print(json ? PlanJSON.encode(PlanJSON.Plan(plan)) : PlanTable.render(plan), terminator: "")
    }

    private func loadHost() throws -> HostDescription {
        let rsdp = acpiRsdp?.value
        let rsdpSource: AcpiRsdpSource? = rsdp == nil ? nil : .option
        if let path = host {
            let bytes = try readInput(path, what: "host description")
            guard var h = PlanJSON.decodeHost(bytes) else {
                throw fail("\(path) is not a host description (expected the JSON of `xen-kexec-load range --json`)", .config)
            }
            if let a = rsdp {
                h.acpiRsdp = a
                h.acpiRsdpSource = rsdpSource
            }
            if let f = firmware { h.firmware = f.firmware }
            return h
        }
        if let text = crashRegion, let r = CrashRegion.parse(text) {
            do {
                return try .synthesized(crashRegion: r, acpiRsdp: rsdp, acpiRsdpSource: rsdpSource, firmware: firmware?.firmware ?? .unknown)
            } catch {
                throw fail(Diagnosis(.plan(error)))
            }
        }
        return HostDescription(crashRegion: nil, acpiRsdp: rsdp, acpiRsdpSource: rsdpSource, firmware: firmware?.firmware ?? .unknown)
    }

    private func openInput(_ path: String, what: String) throws -> FileBytes {
        do { return try FileBytes.open(FilePath(path)) } catch { throw fail("cannot read the \(what) \(path): \(error)", .noInput) }
    }

    /// A read that failed or came up short while planning (the file shrank): the plan is void.
    private func checkRead(_ bytes: FileBytes, _ path: String, what: String) throws {
        if let problem = bytes.problem { throw fail("cannot read the \(what) \(path): \(problem) (did it change while being read?)", .noInput) }
    }

    private func readInput(_ path: String, what: String) throws -> [UInt8] {
        do { return try HostFiles.read(FilePath(path)) } catch { throw fail("cannot read the \(what) \(path): \(error)", .noInput) }
    }

    /// ``fail(_:_:)`` with the message and exit code the load path gives the same error.
    private func fail(_ d: Diagnosis) -> ExitCode { fail(d.message, d.exit) }

    /// Reports `message` (as JSON on stdout with --json, else on stderr) and returns the exit to throw.
    private func fail(_ message: String, _ code: ToolExit) -> ExitCode {
        if json {
            print(PlanJSON.encode(PlanJSON.Failure(message)), terminator: "")
        } else {
            var err = StandardError()
            print("xen-kexec-load plan: \(message)", to: &err)
        }
        return code.code
    }
}
