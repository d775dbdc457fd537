import KexecPlan
import Logging
import SystemPackage
import XenKexec

/// The steps of `provision`, with the hypervisor, the state and dom0's facts passed in, so
/// unit tests run them against a fake hypervisor.
///
/// Order: the defaults files are read and checked, then the hypervisor is opened and the
/// lock taken, then the loader's one pipeline runs (the Secure Boot gate verifies the kernel
/// bytes it read before any hypercall). A bad file therefore ends the run before anything
/// reaches Xen; a refused, missing or unreadable kernel or initrd, or a missing crash
/// region, fails in the loader before its first `KEXEC_CMD_kexec_load` or
/// `KEXEC_CMD_kexec_unload`. Either way an image armed before stays armed and unchanged.
struct ProvisionRun {
    var configPath: FilePath
    var kdumpToolsPath: FilePath
    /// The Secure Boot gate, given the defaults file's policy keys.
    var gate: (SignaturePolicy) -> SecureBootGate
    var openHypervisor: () throws(KexecError) -> any KexecHypervisor
    var store: ArmedImageStore
    /// Takes the single-instance lock.
    var lock: (Logger) throws(KexecError) -> InstanceLock
    /// Where the host's firmware and ACPI RSDP are read from, given the defaults file.
    var firmware: (ProvisionConfig) -> FirmwareDiscovery
    /// dom0's facts, given Xen's command line (``ProvisionFacts/current(xenCommandLine:)``).
    var facts: (String?) -> ProvisionFacts = ProvisionFacts.current(xenCommandLine:)
    /// The planner the loader uses (the unit tests give a scripted one).
    var planner: any LoadPlanning = StandardPlanner()

    /// Arms the configured crash kernel; nil when provisioning is disabled. On failure, the
    /// crash image an unload removed in this boot is armed again if the slot is empty
    /// (``rearmUnloaded(after:logger:)``), and the failure is thrown all the same.
    func perform(logger: Logger) async throws(KexecError) -> LoadOutcome? {
        do throws(KexecError) {
            return try await provision(logger: logger)
        } catch {
            await rearmUnloaded(after: error, logger: logger)
            throw error
        }
    }

    /// dom0's facts, with Secure Boot counted as on whenever the gate's policy applies, so
    /// that `XEN_KEXEC_TYPE=auto` picks KEXEC_TYPE_CRASH_EFI whenever the gate would refuse a
    /// classic type (Secure Boot or lockdown by any source, or the policy asked for).
    func policyFacts(_ xenCommandLine: String?, _ gate: SecureBootGate) -> ProvisionFacts {
        var f = facts(xenCommandLine)
        if gate.activeBecause() != nil { f.secureBoot = true }
        return f
    }

    func provision(logger: Logger) async throws(KexecError) -> LoadOutcome? {
        let settings = try ProvisionConfigLoader.load(configPath)
        guard settings.enabled else {
            logger.notice("provisioning is disabled (XEN_KEXEC_ENABLED=no in \(configPath)); nothing loaded")
            return nil
        }
        let kdumpTools = settings.useKdumpTools ? try ProvisionConfigLoader.loadKdumpTools(kdumpToolsPath, logger: logger) : nil
        let gate = gate(SignaturePolicy(settings))
        // The classic types are refused under the policy before anything is opened: kernel
        // and type do not depend on Xen's command line.
        let early = ProvisionPlan(settings, kdumpTools: kdumpTools, facts: policyFacts(nil, gate))
        try gate.admit(type: early.type, kernel: FilePath(early.kernel), logger: nil)
        let hypervisor = try openHypervisor()
        let held = try lock(logger)
        defer { held.release() }
        let xenCommandLine: String?
        do { xenCommandLine = try hypervisor.hypervisorCommandLine() } catch {
            logger.warning("cannot read Xen's command line (\(error)); the crash kernel gets no translated serial console")
            xenCommandLine = nil
        }
        let plan = ProvisionPlan(settings, kdumpTools: kdumpTools, facts: policyFacts(xenCommandLine, gate))
        for s in plan.sources { logger.info("provision: \(s)") }
        logger.info("provision: \(plan.type.name) image \(plan.kernel), initrd \(plan.initrd ?? "none"), command line \"\(plan.commandLine)\"")
        let loader = CrashKernelLoader(hypervisor: hypervisor, planner: planner, store: store, firmware: firmware(settings), gate: gate, logger: logger)
        var invocation = plan.invocation
        do throws(KexecError) {
            return try await loader.load(invocation, keepIfArmed: true)
        } catch .efiLoadTypeUnsupported where settings.type == .auto {
            // A Xen without KEXEC_TYPE_CRASH_EFI (Debian's stock Xen): the classic type,
            // which the loader's gate refuses under the policy unless the administrator opted in.
            logger.warning("this Xen has no KEXEC_TYPE_CRASH_EFI; XEN_KEXEC_TYPE=auto falls back to the classic crash type")
            invocation.request.type = .crash
            return try await loader.load(invocation, keepIfArmed: true)
        }
    }
}
