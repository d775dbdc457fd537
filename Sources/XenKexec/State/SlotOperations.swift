import KexecPlan
import Logging

/// `unload`, `status` and `exec` on one slot, with the record kept in step.
public struct SlotOperations {
    public let hypervisor: any KexecHypervisor
    public let store: ArmedImageStore
    public let logger: Logger

    public init(hypervisor: any KexecHypervisor, store: ArmedImageStore, logger: Logger = Logger(label: "xen-kexec-load")) {
        self.hypervisor = hypervisor
        self.store = store
        self.logger = logger
    }

    /// Empties the slot of `type` (crash-efi shares the crash slot).
    ///
    /// - Parameter forRestart: the unit's `ExecStop=` (`unload --for-restart`): the record is
    ///   kept as the slot's unloaded record (``ArmedImageStore/retire(slot:)``), which only a
    ///   failed `provision` reads, to arm that image again. A deliberate `unload` forgets the
    ///   record and any unloaded one, so nothing brings the image back.
    public func unload(_ type: LoadType, forRestart: Bool = false) throws(KexecError) {
        let slot = type.slot
        do { try hypervisor.unload(type: slot.rawValue) } catch {
            throw ErrnoClassification.classify(error)
        }
        if forRestart {
            try store.retire(slot: slot)
        } else {
            try store.remove(slot: slot)
            try store.removeUnloaded(slot: slot)
        }
        logger.notice("unloaded the \(slot.name) slot")
    }

    /// The record cross-checked with Xen's status bit.
    public func status(_ type: LoadType) throws(KexecError) -> ArmedStatus {
        let slot = type.slot
        let bit: Bool
        do { bit = try hypervisor.statusBit(type: slot.rawValue) } catch {
            throw ErrnoClassification.classify(error)
        }
        return ArmedStatus.evaluate(store.read(slot: slot), xenBit: bit)
    }

    /// Runs the image of `type`. Returns only if Xen refused (thrown) or came back anyway.
    public func exec(_ type: LoadType) throws(KexecError) {
        let slot = type.slot
        logger.notice("asking Xen to execute the \(slot.name) image")
        do { try hypervisor.exec(type: slot.rawValue) } catch {
            throw ErrnoClassification.classify(error)
        }
        throw .execReturned(type: slot.rawValue)
    }
}
