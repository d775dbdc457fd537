import KexecPlan
import Logging
import SystemPackage
import XenKexec

/// The steps of `provision`, with the hypervisor, the state and dom0's facts passed in, so
/// unit tests run them against a fake hypervisor.
///
/// Order: the defaults files are read and checked, then the Secure Boot gate, and only then
/// is the hypervisor opened. A bad file therefore ends the run before anything reaches Xen;
/// a missing kernel or initrd, or a missing crash region, fails in the loader before its
/// first `KEXEC_CMD_kexec_load` or `KEXEC_CMD_kexec_unload`. Either way an image armed
/// before stays armed and unchanged.
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

    func provision(logger: Logger) async throws(KexecError) -> LoadOutcome? {
        let settings = try ProvisionConfigLoader.load(configPath)
        guard settings.enabled else {
            logger.notice("provisioning is disabled (XEN_KEXEC_ENABLED=no in \(configPath)); nothing loaded")
            return nil
        }
        let kdumpTools = settings.useKdumpTools ? try ProvisionConfigLoader.loadKdumpTools(kdumpToolsPath, logger: logger) : nil
        let gate = gate(SignaturePolicy(settings))
        // The Secure Boot gate runs before any hypercall: kernel and type do not depend on
        // Xen's command line.
        let early = ProvisionPlan(settings, kdumpTools: kdumpTools, facts: facts(nil))
        let checked = try await gate.check(kernel: FilePath(early.kernel), type: early.type, logger: logger)
        let hypervisor = try openHypervisor()
        let held = try lock(logger)
        defer { held.release() }
        let xenCommandLine: String?
        do { xenCommandLine = try hypervisor.hypervisorCommandLine() } catch {
            logger.warning("cannot read Xen's command line (\(error)); the crash kernel gets no translated serial console")
            xenCommandLine = nil
        }
        let plan = ProvisionPlan(settings, kdumpTools: kdumpTools, facts: facts(xenCommandLine))
        for s in plan.sources { logger.info("provision: \(s)") }
        logger.info("provision: \(plan.type.name) image \(plan.kernel), initrd \(plan.initrd ?? "none"), command line \"\(plan.commandLine)\"")
        let loader = CrashKernelLoader(hypervisor: hypervisor, store: store, firmware: firmware(settings), logger: logger)
        var invocation = checked.pinning(plan.invocation)
        do throws(KexecError) {
            return try loader.load(invocation, keepIfArmed: true)
        } catch .efiLoadTypeUnsupported where settings.type == .auto {
            // A Xen without KEXEC_TYPE_CRASH_EFI (Debian's stock Xen): the classic type,
            // which the gate refuses under the policy unless the administrator opted in.
            logger.warning("this Xen has no KEXEC_TYPE_CRASH_EFI; XEN_KEXEC_TYPE=auto falls back to the classic crash type")
            _ = try await gate.check(kernel: invocation.kernel, type: .crash, logger: logger)
            invocation.request.type = .crash
            invocation.expectedKernelSHA256 = nil
            return try loader.load(invocation, keepIfArmed: true)
        }
    }
}
