import KexecPlan

/// Re-arming the crash image an unload removed, when what was to replace it failed.
///
/// `systemctl restart` of the unit runs its `ExecStop=` (`unload`) and then `provision`: a
/// defaults file broken in between would otherwise leave dom0 with no crash kernel at all.
/// The unload keeps the image's record (``ArmedImageStore/retire(slot:)``); this loads that
/// image again.
extension CrashKernelLoader {
    /// What ``rearmUnloaded()`` did.
    public enum UnloadedRestore: Equatable, Sendable {
        /// The unloaded image is armed again; the record now in the crash slot.
        case rearmed(ArmedImageRecord)
        /// Nothing was unloaded in this boot, or something is armed: nothing to do.
        case notNeeded(String)
        /// Re-arming failed; nothing is armed.
        case failed(KexecError)
    }

    /// When Xen's crash slot is empty (by this tool's record and Xen's status bit) and this
    /// tool unloaded a crash image in this boot, loads that image again: re-planned from its
    /// files through the whole pipeline (the Secure Boot gate included) with its recorded
    /// request on this boot's host, and sent only if the plan digest is the recorded one,
    /// i.e. exactly the bytes armed before (``rearm(_:)``). An image
    /// armed by anyone is left alone. Ends with `KEXEC_CMD_kexec_load`.
    ///
    /// - Parameter slotEmptied: this process unloaded the crash slot itself (after Xen refused
    ///   its load, with no record to restore), so Xen's status bit is not asked: that unload
    ///   flipped it, and it would look like an image loaded by another tool.
    public func rearmUnloaded(slotEmptied: Bool = false) async -> UnloadedRestore {
        if store.read(slot: .crash).record != nil { return .notNeeded("a crash image is recorded as armed") }
        guard case .found(let unloaded) = store.readUnloaded(slot: .crash) else {
            return .notNeeded("no crash image was unloaded in this boot")
        }
        if !slotEmptied {
            let bit: Bool
            do { bit = try hypervisor.statusBit(type: unloaded.slot.rawValue) } catch {
                return .failed(ErrnoClassification.classify(error))
            }
            if bit { return .notNeeded("Xen's crash slot holds an image this tool did not record") }
        }
        do throws(KexecError) {
            let armed = try await rearm(unloaded)
            recordRearmed(armed)
            return .rearmed(armed)
        } catch {
            // A re-arm that failed after its load-in-progress record was written.
            try? store.remove(slot: .crash)
            return .failed(error)
        }
    }
}
