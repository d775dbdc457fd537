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
            to add (for systemd's ExecCondition=: the journal says why the unit was skipped).
            """
    )

    @Flag(name: .shortAndLong, help: "Print nothing on stdout; exit 0 if Xen reserved a crash region, 1 (and one notice on stderr) if not.")
    var quiet = false

    @Option(name: .customLong("acpi-rsdp"), help: AcpiRsdpHelp.text)
    var acpiRsdp: MachineAddressArgument?

    @OptionGroup var common: CommonOptions

    func run() throws {
        var logger = CLILogging.bootstrap(verbosity: quiet ? -1 : common.verbose)
        var reserved = true
        try reportingErrors(json: common.json && !quiet, logger: logger) { () throws(KexecError) in
            let hypervisor = try common.openHypervisor()
            let facts = AcpiRsdpHelp.discovery(acpiRsdp).discover()
            for note in facts.notes { logger.info("\(note)") }
            logger.info("firmware \(facts.firmware.rawValue): \(facts.firmwareEvidence)")
            var dom0Note: AddressRange?
            switch Dom0VmcoreInfoDiscovery().discover() {
            case .found(let r): dom0Note = r
            case .unavailable(let why): logger.info("no dom0 VMCOREINFO note: \(why)")
            }
            let host = try HostQuery.describe(hypervisor, firmware: facts, dom0VmcoreInfo: dom0Note)
            reserved = host.crashRegion != nil
            if quiet { return }
            if common.json {
                Output.text(PlanJSON.encode(PlanJSON.Host(host)))
            } else {
                for line in Self.text(host) { Output.line(line) }
                Output.line(SecureBootReport(SecureBootSources().state()).line)
            }
            if !reserved {
                logger.warning("Xen reserved no crash region: add crashkernel=<size> to Xen's command line (not dom0's) and reboot")
            }
            if let problem = AcpiRsdpCheck.problem(host) { logger.warning("\(problem)") }
        }
        if quiet && !reserved {
            // The one line systemd's journal shows beside "Skipped due to 'exec-condition'".
            logger.logLevel = .notice
            logger.notice("Xen reserved no crash region, nothing to arm: add crashkernel=<size> to Xen's command line (not dom0's) and reboot")
            throw ExitCode.failure
        }
    }

    static func text(_ h: HostDescription) -> [String] {
        func r(_ a: AddressRange) -> String {
            "\(hex(a.start))-\(hex(a.start &+ a.size &- 1)) (\(a.size) bytes)"
        }
        var lines = ["crash region: \(h.crashRegion.map { r($0) + ", \($0.size >> 20) MiB" } ?? "none")"]
        lines.append("firmware: \(h.firmware.rawValue)")
        if let a = h.acpiRsdp {
            lines.append("acpi rsdp: \(hex(a)) (from \(h.acpiRsdpSource?.description ?? "an unknown source"))")
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
