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
            XEN_KEXEC_ALLOW_UNVERIFIED=yes (or --allow-unverified-kernel), else exit 80. \
            When Debian kdump-tools' /etc/default/kdump-tools is present with USE_KDUMP=1 (and \
            XEN_KEXEC_KDUMP_TOOLS is not no), its KDUMP_KERNEL, KDUMP_INITRD, KDUMP_CMDLINE and \
            KDUMP_CMDLINE_APPEND choose the crash kernel kdump-tools would have loaded; a \
            XEN_KEXEC_* setting that is set wins.
            """
    )

    @Option(help: "The defaults file.", completion: .file())
    var config: String = "/etc/default/xen-kexec-load"

    @Option(name: .customLong("kdump-tools-config"), help: "Debian kdump-tools' defaults file, used when present.", completion: .file())
    var kdumpToolsConfig: String = KdumpToolsDefaults.path

    @Option(name: .customLong("acpi-rsdp"), help: AcpiRsdpHelp.text)
    var acpiRsdp: MachineAddressArgument?

    @OptionGroup var signature: SignatureOptions
    @OptionGroup var common: CommonOptions
    @OptionGroup var state: StateOptions

    func run() async throws {
        try await common.run { (logger: Logger) async throws(KexecError) in
            let run = ProvisionRun(
                configPath: FilePath(config), kdumpToolsPath: FilePath(kdumpToolsConfig),
                gate: { signature.gate(adding: $0) },
                openHypervisor: { () throws(KexecError) -> any KexecHypervisor in try common.openHypervisor() },
                store: state.store, lock: { logger throws(KexecError) in try state.lock(logger) },
                firmware: { Self.discovery(option: acpiRsdp, config: $0, dom0: signature.dom0) },
                facts: signature.dom0.provisionFacts(xenCommandLine:))
            guard let outcome = try await run.perform(logger: logger) else { return }
            if common.json { Output.text(PlanJSON.encode(PlanJSON.Plan(outcome.plan))) }
        }
    }
}

extension ProvisionCommand {
    /// `--acpi-rsdp` first, then `XEN_KEXEC_ACPI_RSDP`, else discovery alone.
    static func discovery(option: MachineAddressArgument?, config: ProvisionConfig, dom0: Dom0 = .live) -> FirmwareDiscovery {
        if let o = option { return AcpiRsdpHelp.discovery(o, dom0: dom0) }
        return dom0.firmware(explicit: config.acpiRsdp.map { ExplicitAcpiRsdp(address: $0, source: .defaultsFile) })
    }
}
