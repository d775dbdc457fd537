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
                firmware: { Self.discovery(option: acpiRsdp, config: $0) })
            guard let outcome = try await run.perform(logger: logger) else { return }
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

    /// Debian kdump-tools' defaults, or nil when the file is absent. A file whose
    /// `USE_KDUMP` is not 1 is noted and not used; lines that are not read are noted.
    static func loadKdumpTools(_ path: FilePath, logger: Logger) throws(KexecError) -> KdumpToolsDefaults? {
        let text: String
        do {
            text = try readText(path)
        } catch where error == .noSuchFileOrDirectory {
            return nil
        } catch {
            throw .fileUnavailable(path, error)
        }
        let defaults: KdumpToolsDefaults
        do {
            defaults = try KdumpToolsDefaults.parse(text)
        } catch {
            throw .badConfiguration(path, error.description)
        }
        guard defaults.useKdump else {
            logger.notice("\(path): USE_KDUMP is not 1, so kdump-tools is off; its settings are not used (set XEN_KEXEC_KDUMP_TOOLS=no in /etc/default/xen-kexec-load to stop reading it)")
            return nil
        }
        for skipped in defaults.skippedLines {
            logger.notice("\(path): \(skipped.description); that line is not read (xen-kexec-load does not use it)")
        }
        if let args = defaults.kexecArguments {
            logger.warning("\(path): KDUMP_KEXEC_ARGS=\"\(args)\" is ignored: those are options of kexec-tools' kexec, which cannot load into Xen")
        }
        return defaults
    }

    static func readText(_ path: FilePath) throws(Errno) -> String {
        String(decoding: try readBytes(path, limit: 1 << 20), as: UTF8.self)
    }

    /// Up to `limit` bytes of a file.
    static func readBytes(_ path: FilePath, limit: Int) throws(Errno) -> [UInt8] {
        try HostFiles.read(path, limit: limit)
    }
}
