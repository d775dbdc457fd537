import KexecImage
import KexecPurgatory

/// The planner's side of the purgatory (the program itself is the KexecPurgatory target, as
/// kexec-tools keeps `purgatory/` beside `kexec/`): which segments it checks, the order the
/// classic layouts send them in, and the plan error for a load address it cannot be built at.
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` (the purgatory segment holds `entry_maddr`).
enum PlanPurgatory {
    /// Bytes the layouts reserve for the purgatory segment (its code, table and stack).
    static let segmentSize = Purgatory.segmentSize

    /// The purgatory's bytes for a layout: it checks every other segment with a buffer of
    /// `segments` (in the order `purgatoryLast` gives) and reports on the serial console the
    /// new kernel's `commandLine` names.
    static func build(
        loadAddress: UInt64, bootParams: UInt64, kernelEntry: UInt64, backup: AddressRange?,
        segments: [PlannedSegment], commandLine: String
    ) throws(PlanError) -> [UInt8] {
        do {
            return try Purgatory.build(
                loadAddress: loadAddress, bootParams: bootParams, kernelEntry: kernelEntry,
                backup: backup.map { (source: 0, destination: $0.start, size: $0.size) },
                checks: checks(purgatoryLast(segments)), console: .from(commandLine: commandLine)
            ).bytes
        } catch {
            switch error {
            case .stackAboveAddressSpace(let at): throw .addressOverflow("purgatory stack above \(hex(at))")
            case .labelsAboveAddressSpace(let at): throw .addressOverflow("purgatory labels at \(hex(at))")
            case .codeTooLarge(let bytes, let room):
                throw .addressOverflow("purgatory of \(bytes) bytes past its segment's \(room) (the rest is its stack)")
            }
        }
    }

    /// The ranges a plan's purgatory checks: every segment with a buffer except the
    /// purgatory, in the order given (the layouts pass them in segment order).
    static func checks(_ segments: [PlannedSegment]) -> [(address: UInt64, length: UInt64)] {
        segments.filter { $0.role != .purgatory && !$0.isBufferless }.map { ($0.dest, $0.bufSize) }
    }

    /// Orders segments as every classic layout sends them: by destination, the purgatory
    /// last, so that the running digest of the other segments is the purgatory's digest and
    /// continues over the purgatory into Xen's. Xen checks segments pairwise for overlap and
    /// places its control pages around all of them, whatever their order (xen/common/kimage.c,
    /// `do_kimage_alloc`, `kimage_alloc_crash_control_page`).
    static func purgatoryLast(_ segments: [PlannedSegment]) -> [PlannedSegment] {
        segments.sorted { a, b in
            (a.role == .purgatory) == (b.role == .purgatory) ? a.dest < b.dest : b.role == .purgatory
        }
    }
}
