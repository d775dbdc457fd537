import KexecPlan
import Logging
import SystemPackage
import XenKexec

extension ProvisionRun {
    /// After a failed `provision`: `systemctl restart` unloads (the unit's `ExecStop=`) before
    /// it provisions again, so a broken defaults file or a missing kernel would leave dom0
    /// with no crash kernel. When this tool unloaded a crash image in this boot and Xen's slot
    /// is empty, that image is armed again (``CrashKernelLoader/rearmUnloaded()``: the same
    /// bytes, by the plan digest, through the loader's one pipeline, so the Secure Boot gate
    /// verifies its kernel under today's policy), with the lock held from the first read of
    /// its record to the hypercall. What happened is logged next to the failure, which the
    /// caller still throws.
    func rearmUnloaded(after failure: KexecError, logger: Logger) async {
        if failure == .noCrashRegion { return }
        // Whether there is anything to re-arm at all (the file exists); the record itself is
        // read, and acted on, only under the lock.
        guard store.hasUnloaded(slot: .crash) else { return }
        // A defaults file that does not parse: the default policy (Secure Boot and lockdown decide).
        let settings = (try? ProvisionConfigLoader.load(configPath)) ?? ProvisionConfig.standard
        do throws(KexecError) {
            let hypervisor = try openHypervisor()
            let held = try lock(logger)
            defer { held.release() }
            guard case .found(let unloaded) = store.readUnloaded(slot: .crash) else { return }
            let loader = CrashKernelLoader(hypervisor: hypervisor, planner: planner, store: store, firmware: firmware(settings), gate: gate(SignaturePolicy(settings)), logger: logger)
            // A refused load with nothing recorded to restore ends with this run's own unload.
            let emptied = if case .reloadRefused(_, .nothingToRestore(disarmed: true)) = failure { true } else { false }
            switch await loader.rearmUnloaded(slotEmptied: emptied) {
            case .rearmed(let record):
                logger.warning("provision failed, so the crash kernel unloaded before it (\(unloaded.kernel.path), digest \(record.digest)) is armed again; fix what the next line says and run `systemctl restart xen-kexec-load.service`")
            case .notNeeded(let why):
                logger.info("provision failed; the unloaded crash kernel is not re-armed: \(why)")
            case .failed(let error):
                throw error
            }
        } catch {
            logger.critical("provision failed and the crash kernel unloaded before it could not be armed again: \(error); NO CRASH KERNEL IS ARMED")
        }
    }
}
