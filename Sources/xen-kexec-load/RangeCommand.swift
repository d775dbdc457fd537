import ArgumentParser
import KexecImage
import KexecPlan
import Logging
import XenKexec

/// `xen-kexec-load range`: the crash region and the rest of the host description.
struct RangeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "range",
        abstract: "Show Xen's crash region and the host description the planner uses.",
        discussion: """
            --json writes the host description that `plan --host FILE` reads, so a plan made \
            offline is the plan `load --dry-run` makes here. It includes how the host booted \
            (uefi or bios) and the ACPI RSDP with its source. --quiet prints nothing on stdout; \
            when Xen reserved no crash region it exits 1 with one notice on stderr saying what \
            to add (for systemd's ExecCondition=: the journal says why the unit was skipped); \
            when Xen cannot be asked (no permission, an I/O error) it exits 255, which makes \
            systemd fail the unit rather than skip it.
            """
    )

    @Flag(name: .shortAndLong, help: "Print nothing on stdout; exit 0 if Xen reserved a crash region, 1 (and one notice on stderr) if not or if this is not a dom0, 255 if Xen could not be asked (for ExecCondition=: the unit fails instead of being skipped).")
    var quiet = false

    @Option(name: .customLong("acpi-rsdp"), help: AcpiRsdpHelp.text)
    var acpiRsdp: MachineAddressArgument?

    @OptionGroup var common: CommonOptions

    func run() throws {
        var logger = CLILogging.bootstrap(verbosity: quiet ? -1 : common.verbose)
        if quiet {
            let reserved: Bool
            do throws(KexecError) { reserved = try host(logger).crashRegion != nil } catch {
                // ExecCondition= skips the unit on exits 1-254 and fails it on 255
                // (systemd.service(5)): only "not a dom0" may look like "nothing to arm".
                logger.logLevel = .notice
                let d = Diagnosis(error)
                let code = Self.quietExit(for: error)
                if code == 1 {
                    logger.notice("not a Xen dom0, nothing to arm: \(d.message)")
                } else {
                    logger.error("could not ask Xen whether it reserved a crash region: \(d.message); failing (exit 255) rather than skipping")
                }
                throw ExitCode(code)
            }
            if !reserved {
                // The one line systemd's journal shows beside "Skipped due to 'exec-condition'".
                logger.logLevel = .notice
                logger.notice("Xen reserved no crash region, nothing to arm: add crashkernel=<size> to Xen's command line (not dom0's) and reboot")
                throw ExitCode.failure
            }
            return
        }
        try reportingErrors(json: common.json, logger: logger) { () throws(KexecError) in
            let host = try host(logger)
            if common.json {
                Output.text(PlanJSON.encode(PlanJSON.Host(host)))
            } else {
                for line in Self.text(host) { Output.line(line) }
                Output.line(SecureBootReport(SecureBootSources().state()).line)
            }
            if host.crashRegion == nil {
                logger.warning("Xen reserved no crash region: add crashkernel=<size> to Xen's command line (not dom0's) and reboot")
            }
            if let problem = AcpiRsdpCheck.problem(host) { logger.warning("\(problem)") }
        }
    }

    /// `range --quiet`'s exit for an error: 1 (ExecCondition= skips the unit) when this is
    /// not a Xen dom0, 255 (systemd fails the unit) when dom0's Xen could not be asked.
    static func quietExit(for error: KexecError) -> Int32 {
        switch error {
        case .hostUnavailable(.notXen), .hostUnavailable(.notDom0): 1
        default: 255
        }
    }

    /// The host description from Xen and dom0 (`KEXEC_CMD_kexec_get_range`, `XENMEM_machine_memory_map`).
    func host(_ logger: Logger) throws(KexecError) -> HostDescription {
        let hypervisor = try common.openHypervisor()
        let facts = AcpiRsdpHelp.discovery(acpiRsdp).discover()
        for note in facts.notes { logger.info("\(note)") }
        for warning in facts.warnings { logger.warning("\(warning)") }
        logger.info("firmware \(facts.firmware.rawValue): \(facts.firmwareEvidence)")
        var dom0Note: AddressRange?
        switch Dom0VmcoreInfoDiscovery().discover() {
        case .found(let r): dom0Note = r
        case .unavailable(let why): logger.info("no dom0 VMCOREINFO note: \(why)")
        }
        return try HostQuery.describe(hypervisor, firmware: facts, dom0VmcoreInfo: dom0Note)
    }

    static func text(_ h: HostDescription) -> [String] {
        func r(_ a: AddressRange) -> String {
            "\(hex(a.start))-\(hex(a.start &+ a.size &- 1)) (\(a.size) bytes)"
        }
        var lines = ["crash region: \(h.crashRegion.map { r($0) + ", \($0.size >> 20) MiB" } ?? "none")"]
        lines.append("firmware: \(h.firmware.rawValue)")
        if let a = h.acpiRsdp {
            lines.append("acpi rsdp: \(hex(a)) (from \(h.acpiRsdpSource?.description ?? "an unknown source"))")
            switch h.acpiRsdpBytes.map(AcpiRsdp.parse) {
            case .success(let t)?: lines.append("acpi rsdp table: revision \(t.revision), oem \"\(t.oemID)\", \(t.extent) bytes, checksums valid")
            case .failure(let d)?: lines.append("acpi rsdp table: not valid (\(d))")
            case nil: lines.append("acpi rsdp table: not read")
            }
        } else {
            lines.append("acpi rsdp: none found")
        }
        if let x = h.xenImage { lines.append("xen image: \(r(x))") }
        if let v = h.vmcoreInfo { lines.append("vmcoreinfo: \(r(v))") }
        if let d = h.dom0VmcoreInfo { lines.append("dom0 vmcoreinfo: \(r(d))") }
        for (i, n) in h.cpuNotes.enumerated() { lines.append("cpu \(i) crash note: \(r(n))") }
        lines.append("machine memory map:")
        for m in h.memoryMap {
            lines.append("  \(r(m.range)) \(E820Type(rawValue: m.type)?.name ?? "type \(m.type)")")
        }
        return lines
    }
}
