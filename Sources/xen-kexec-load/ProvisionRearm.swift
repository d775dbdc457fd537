import KexecPlan
import Logging
import SystemPackage
import XenKexec

extension ProvisionRun {
    /// After a failed `provision`: `systemctl restart` unloads (the unit's `ExecStop=`) before
    /// it provisions again, so a broken defaults file or a missing kernel would leave dom0
    /// with no crash kernel. When this tool unloaded a crash image in this boot and Xen's slot
    /// is empty, that image is armed again (``CrashKernelLoader/rearmUnloaded()``: the same
    /// bytes, by the plan digest), after the Secure Boot gate passes its kernel under today's
    /// policy. What happened is logged next to the failure, which the caller still throws.
    func rearmUnloaded(after failure: KexecError, logger: Logger) async {
        guard case .found(let unloaded) = store.readUnloaded(slot: .crash) else { return }
        if failure == .noCrashRegion { return }
        // A defaults file that does not parse: the default policy (lockdown decides).
        let settings = (try? ProvisionConfigLoader.load(configPath)) ?? ProvisionConfig.standard
        let kernel = FilePath(unloaded.kernel.path)
        do throws(KexecError) {
            _ = try await gate(SignaturePolicy(settings)).check(kernel: kernel, type: unloaded.type, logger: logger)
            let hypervisor = try openHypervisor()
            let held = try lock(logger)
            defer { held.release() }
            let loader = CrashKernelLoader(hypervisor: hypervisor, store: store, firmware: firmware(settings), logger: logger)
            switch loader.rearmUnloaded() {
            case .rearmed(let record):
                logger.warning("provision failed, so the crash kernel unloaded before it (\(unloaded.kernel.path), digest \(record.digest)) is armed again; fix what the next line says and run `systemctl restart xen-kexec-load.service`")
            case .notNeeded(let why):
                logger.info("provision failed; the unloaded crash kernel is not re-armed: \(why)")
            case .failed(let error):
                throw error
            }
        } catch {
            logger.critical("provision failed and the crash kernel unloaded before it (\(unloaded.kernel.path)) could not be armed again: \(error); NO CRASH KERNEL IS ARMED")
        }
    }
}
