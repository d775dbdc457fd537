import ArgumentParser
import KexecPlan
import Logging
import SystemPackage
import XenKexec

/// `xen-kexec-load provision`: arm the crash kernel the defaults file describes, at boot
/// or on reload; do nothing when exactly that plan is already armed.
struct ProvisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision",
        abstract: "Arm the crash kernel described by /etc/default/xen-kexec-load (boot-time service).",
        discussion: """
            Reads the defaults file (KEY=VALUE; see the example in dist/), builds a crash \
            command line from dom0's (or XEN_KEXEC_CMDLINE) with Xen's serial console \
            translated from Xen's own command line and the crash defaults added, picks \
            KEXEC_TYPE_CRASH_EFI when dom0 is locked down or Secure Boot is on (XEN_KEXEC_TYPE=auto), \
            and loads it with `load`'s safe reload. Idempotent: when this tool's record and Xen \
            say the same plan (same digest) is armed, nothing is sent. Under lockdown (or \
            XEN_KEXEC_REQUIRE_SIGNATURE=yes) the kernel's signature is verified before anything is \
            sent to Xen; on a Xen without KEXEC_TYPE_CRASH_EFI the classic type is used only with \
            XEN_KEXEC_ALLOW_UNVERIFIED=yes (or --allow-unverified-kernel), else exit 80.
            """
    )

    @Option(help: "The defaults file.", completion: .file())
    var config: String = "/etc/default/xen-kexec-load"

    @Option(name: .customLong("acpi-rsdp"), help: AcpiRsdpHelp.text)
    var acpiRsdp: MachineAddressArgument?

    @OptionGroup var signature: SignatureOptions
    @OptionGroup var common: CommonOptions
    @OptionGroup var state: StateOptions

    func run() async throws {
        try await common.run { (logger: Logger) async throws(KexecError) in
            let configPath = FilePath(config)
            let settings = try ProvisionConfigLoader.load(configPath)
            guard settings.enabled else {
                logger.notice("provisioning is disabled (XEN_KEXEC_ENABLED=no in \(configPath)); nothing loaded")
                return
            }
            let gate = signature.gate(adding: SignaturePolicy(
                requireSignature: settings.requireSignature, trustCertificates: settings.trustCertificates.map { FilePath($0) },
                allowUnverified: settings.allowUnverified))
            // The Secure Boot gate runs before any hypercall: kernel and type do not depend on
            // Xen's command line.
            let early = ProvisionPlan(settings, facts: ProvisionFacts.current(xenCommandLine: nil))
            let checked = try await gate.check(kernel: FilePath(early.kernel), type: early.type, logger: logger)
            let hypervisor = try common.openHypervisor()
            let lock = try state.lock(logger)
            defer { lock.release() }
            let xenCommandLine: String?
            do { xenCommandLine = try hypervisor.hypervisorCommandLine() } catch {
                logger.warning("cannot read Xen's command line (\(error)); the crash kernel gets no translated serial console")
                xenCommandLine = nil
            }
            let facts = ProvisionFacts.current(xenCommandLine: xenCommandLine)
            let plan = ProvisionPlan(settings, facts: facts)
            logger.info("provision: \(plan.type.name) image \(plan.kernel), initrd \(plan.initrd ?? "none"), command line \"\(plan.commandLine)\"")
            let loader = CrashKernelLoader(
                hypervisor: hypervisor, store: state.store,
                firmware: Self.discovery(option: acpiRsdp, config: settings), logger: logger)
            var invocation = checked.pinning(plan.invocation)
            let outcome: LoadOutcome
            do throws(KexecError) {
                outcome = try loader.load(invocation, keepIfArmed: true)
            } catch .efiLoadTypeUnsupported where settings.type == .auto {
                // A Xen without KEXEC_TYPE_CRASH_EFI (Debian's stock Xen): the classic type,
                // which the gate refuses under the policy unless the administrator opted in.
                logger.warning("this Xen has no KEXEC_TYPE_CRASH_EFI; XEN_KEXEC_TYPE=auto falls back to the classic crash type")
                _ = try await gate.check(kernel: invocation.kernel, type: .crash, logger: logger)
                invocation.request.type = .crash
                invocation.expectedKernelSHA256 = nil
                outcome = try loader.load(invocation, keepIfArmed: true)
            }
            if common.json { Output.text(PlanJSON.encode(PlanJSON.Plan(outcome.plan))) }
        }
    }
}

extension ProvisionCommand {
    /// `--acpi-rsdp` first, then `XEN_KEXEC_ACPI_RSDP`, else discovery alone.
    static func discovery(option: MachineAddressArgument?, config: ProvisionConfig) -> FirmwareDiscovery {
        if let o = option { return AcpiRsdpHelp.discovery(o) }
        return FirmwareDiscovery(explicit: config.acpiRsdp.map { ExplicitAcpiRsdp(address: $0, source: .defaultsFile) })
    }
}

/// Reads and checks the defaults file; a missing file means every default.
enum ProvisionConfigLoader {
    static func load(_ path: FilePath) throws(KexecError) -> ProvisionConfig {
        let text: String
        do {
            text = try readText(path)
        } catch where error == .noSuchFileOrDirectory {
            text = ""
        } catch {
            throw .fileUnavailable(path, error)
        }
        do {
            return try ProvisionConfig.from(try DefaultsFile.parse(text))
        } catch let e as DefaultsFileError {
            throw .badConfiguration(path, e.description)
        } catch let e as ProvisionConfigError {
            throw .badConfiguration(path, e.description)
        } catch {
            throw .badConfiguration(path, "\(error)")
        }
    }

    static func readText(_ path: FilePath) throws(Errno) -> String {
        String(decoding: try readBytes(path, limit: 1 << 20), as: UTF8.self)
    }

    /// Up to `limit` bytes of a file.
    static func readBytes(_ path: FilePath, limit: Int) throws(Errno) -> [UInt8] {
        try HostFiles.read(path, limit: limit)
    }
}

/// What `provision` reads from the running system.
struct ProvisionFacts: Equatable {
    /// `/proc/sys/kernel/osrelease` (`uname -r`).
    var kernelRelease: String
    /// dom0's `/proc/cmdline`.
    var dom0CommandLine: String
    /// Xen's command line (`XENVER_commandline`).
    var xenCommandLine: String?
    /// `/sys/kernel/security/lockdown`.
    var lockdown: String?
    /// The firmware's SecureBoot variable, if readable.
    var secureBoot: Bool?

    static let secureBootVariable: FilePath = "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"

    static func current(xenCommandLine: String?) -> ProvisionFacts {
        func text(_ p: FilePath) -> String? {
            (try? ProvisionConfigLoader.readText(p)).map { $0.split(whereSeparator: \.isNewline).first.map(String.init) ?? "" }
        }
        // efivarfs: 4 bytes of attributes, then the one-byte value.
        let sb = (try? ProvisionConfigLoader.readBytes(secureBootVariable, limit: 64)).flatMap { $0.count >= 5 ? $0[4] == 1 : nil }
        return ProvisionFacts(
            kernelRelease: text("/proc/sys/kernel/osrelease") ?? "", dom0CommandLine: (try? Dom0CommandLine.read()) ?? "",
            xenCommandLine: xenCommandLine, lockdown: text("/sys/kernel/security/lockdown"), secureBoot: sb)
    }
}

/// The load `provision` makes of a configuration and the system's facts. Pure.
struct ProvisionPlan: Equatable {
    var kernel: String
    var initrd: String?
    var type: LoadType
    var commandLine: String

    init(_ config: ProvisionConfig, facts: ProvisionFacts) {
        kernel = config.kernel ?? "/boot/vmlinuz-\(facts.kernelRelease)"
        switch config.initrd {
        case .none: initrd = "/boot/initrd.img-\(facts.kernelRelease)"
        case .some(let explicit): initrd = explicit
        }
        type = config.resolvedType(lockdown: facts.lockdown, secureBoot: facts.secureBoot)
        commandLine = CrashCommandLine.make(
            base: config.commandLine ?? facts.dom0CommandLine, xenCommandLine: facts.xenCommandLine,
            additions: config.crashDefaults, append: config.commandLineAppend)
    }

    var invocation: LoadInvocation {
        LoadInvocation(
            kernel: FilePath(kernel), initrd: initrd.map { FilePath($0) },
            request: PlanRequest(type: type, commandLine: CommandLineRequest(replacement: commandLine)))
    }
}
