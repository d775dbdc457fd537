import KexecPlan

/// The record of a load that was sent but whose outcome is not recorded yet.
///
/// Xen copies a crash image's segments into the crash region before its last checks
/// (xen/common/kexec.c `kexec_load`: `kimage_load_segments`, then `machine_kexec_load` and
/// `kexec_swap_images`), so between `KEXEC_CMD_kexec_load` and the record the slot may hold
/// the image armed before, that image partly overwritten, or the new one. Before the call the
/// slot's record is rewritten as possibly damaged; the outcome replaces it. A process killed
/// in between leaves that record, and `status` answers "unknown" instead of vouching for an
/// image it cannot vouch for (or saying nothing is armed when the new one is).
extension CrashKernelLoader {
    /// Before `KEXEC_CMD_kexec_load`: `record` (the slot's current record, or the new image's
    /// when there is none) is written as possibly damaged; the slot's unloaded record is kept.
    func recordLoadInProgress(_ record: ArmedImageRecord) throws(KexecError) {
        var pending = record
        pending.state = .possiblyDamaged
        try store.write(pending, keepingUnloaded: true)
    }

    /// After a re-arm Xen accepted: its record. A record that cannot be written leaves the
    /// load-in-progress one, so `status` answers "unknown" rather than "nothing armed" while
    /// the image is armed.
    func recordRearmed(_ record: ArmedImageRecord) {
        do { try store.write(record) } catch {
            logger.error("the \(record.type.name) image (digest \(record.digest)) is armed, but its record could not be written (\(error)); `status` answers unknown until the next load")
        }
    }

    /// After a load Xen refused without touching the slot: the record as it was before.
    func forgetLoadInProgress(_ previous: ArmedImageRecord?, slot: LoadType) {
        if let previous {
            try? store.write(previous, keepingUnloaded: true)
        } else {
            try? store.remove(slot: slot)
        }
    }
}
