import KexecPlan
import SystemPackage

/// Xen's kexec interface as dom0 sees it: the crash region and the other ranges Xen
/// publishes, the machine memory map, and the load/unload/exec/status operations.
///
/// Every call either returns Xen's answer or throws a ``HypercallFailure`` carrying the
/// errno Xen (or libxenctrl) returned; translating that errno into advice happens in
/// ``ErrnoClassification``, never here. Two implementations exist: ``XenctrlHypervisor``
/// (libxenctrl, real dom0) and the recording fake in the unit tests.
///
/// Errnos are Xen's own (`xen/include/public/errno.h`, equal to Linux's for every value
/// used here). `xsm_kexec` refuses any caller that is not the privileged domain with
/// `EPERM`, for every command; that is not repeated below.
public protocol KexecHypervisor: AnyObject {
    /// The region Xen reserved with `crashkernel=` on **its** command line, or `nil` when
    /// Xen answers `{0, 0}` (nothing reserved).
    ///
    /// Errors: `EFAULT` (copy-back failed). Never `EINVAL` for this range.
    ///
    /// The corresponding hypercall is `KEXEC_CMD_kexec_get_range` with
    /// `KEXEC_RANGE_MA_CRASH` (C function `xc_kexec_get_range`).
    func crashRegion() throws(HypercallFailure) -> AddressRange?

    /// The hypervisor image `[_start, _end)` in machine addresses.
    ///
    /// Errors: `EFAULT`.
    ///
    /// The corresponding hypercall is `KEXEC_CMD_kexec_get_range` with
    /// `KEXEC_RANGE_MA_XEN` (C function `xc_kexec_get_range`).
    func xenImageRange() throws(HypercallFailure) -> AddressRange?

    /// Xen's VMCOREINFO note (4096 bytes), `nil` if Xen reports an empty range.
    ///
    /// Errors: `EFAULT`; `EINVAL` on a Xen built without the note.
    ///
    /// The corresponding hypercall is `KEXEC_CMD_kexec_get_range` with
    /// `KEXEC_RANGE_MA_VMCOREINFO` (C function `xc_kexec_get_range`).
    func vmcoreInfoRange() throws(HypercallFailure) -> AddressRange?

    /// The per-physical-CPU crash notes, CPU 0 first. Implementations ask for CPU 0, 1, …
    /// until Xen answers `ERANGE` (past `nr_cpu_ids`); a CPU whose note is not allocated
    /// (`EINVAL`) or empty is left out.
    ///
    /// Errors: `EFAULT`; any errno other than the `ERANGE` that ends the walk.
    ///
    /// The corresponding hypercall is `KEXEC_CMD_kexec_get_range` with
    /// `KEXEC_RANGE_MA_CPU` and `nr` = the CPU (C function `xc_kexec_get_range`).
    func cpuNoteRanges() throws(HypercallFailure) -> [AddressRange]

    /// The host's machine memory map (e820 as Xen saw it at boot, not dom0's
    /// pseudo-physical map), in Xen's order.
    ///
    /// Errors: `EFAULT`; `EINVAL` when the map has more entries than the buffer.
    ///
    /// The corresponding hypercall is `XENMEM_machine_memory_map` (C function
    /// `xc_get_machine_memory_map`).
    func machineMemoryMap() throws(HypercallFailure) -> [MemoryRange]

    /// Xen's own command line (where `crashkernel=` and the serial console are set).
    ///
    /// Errors: `EFAULT`; `EPERM` for an unprivileged caller.
    ///
    /// The corresponding hypercall is `XENVER_commandline` of `__HYPERVISOR_xen_version`
    /// (C function `xc_version`).
    func hypervisorCommandLine() throws(HypercallFailure) -> String

    /// Memory Xen may read segment data from (hypercall-safe: locked, not forked), sized
    /// for `byteCount` bytes and zero-filled. File bytes are read straight into it, so a
    /// payload exists once in memory.
    ///
    /// Errors: `ENOMEM`.
    ///
    /// The corresponding C function is `xc__hypercall_buffer_alloc_pages`.
    func allocatePayload(byteCount: Int) throws(HypercallFailure) -> PayloadBuffer

    /// Loads an image into the slot of `request.type`, replacing what was there only if
    /// every check passes. Checks run in this order (xen/common/kexec.c, kimage.c):
    /// `nr_segments >= 16` → `EINVAL`; unknown type → `EINVAL` (a Xen without
    /// `KEXEC_TYPE_CRASH_EFI` answers type 3 this way); crash types: entry outside the crash
    /// region (end inclusive) or a buffered segment outside it → `EADDRNOTAVAIL`; a
    /// destination or size not page aligned (classic Xen) → `EADDRNOTAVAIL`; overlapping
    /// segments or `buf_size > dest_size` → `EINVAL`; no room for control pages or page
    /// tables → `ENOMEM`; bad buffer address → `EFAULT`; **after the crash segments were
    /// copied into the crash region**: `arch` other than EM_386/EM_X86_64 → `EINVAL`,
    /// crash-efi header/alignment rules → `EINVAL`, a kexec in progress → `EBUSY`.
    /// Because of those late checks a refused crash load may have overwritten the image
    /// that stays armed (``CrashKernelLoader`` handles that).
    ///
    /// `request` is sent as it is (the value `XenRules` checked); `buffers` gives each
    /// segment's `buf.h` (``SegmentBuffers`` built for this request).
    ///
    /// The corresponding hypercall is `KEXEC_CMD_kexec_load` (C function `xc_kexec_load`).
    func load(_ request: KexecLoadRequest, buffers: SegmentBuffers) throws(HypercallFailure)

    /// Empties the slot of `type` (a crash-efi image lives in the crash slot). Succeeds
    /// when the slot is already empty. Crash memory is not cleared.
    ///
    /// Errors: `EINVAL` (bad type), `EBUSY` (a kexec is in progress).
    ///
    /// The corresponding hypercall is `KEXEC_CMD_kexec_unload` (C function `xc_kexec_unload`).
    func unload(type: UInt8) throws(HypercallFailure)

    /// Runs the image in the slot of `type`. Does not return on success: a default image
    /// reboots the machine into it, a crash image is entered as if Xen had panicked.
    ///
    /// Errors: `ENOENT` (nothing loaded of that type), `EINVAL` (bad type, or the crash
    /// path returned: no image, shutdown failure, or a digest mismatch on a v2 Xen).
    ///
    /// The corresponding hypercall is `KEXEC_CMD_kexec` (C function `xc_kexec_exec`).
    func exec(type: UInt8) throws(HypercallFailure)

    /// Xen's status bit for the slot of `type`. **It is not "loaded"**: Xen returns the
    /// slot-position bit that `kexec_swap_images` toggles on every successful load and every
    /// unload (even of an empty slot), so it only says whether the number of such operations
    /// since boot is odd. ``ArmedStatus`` compares it with this tool's record.
    ///
    /// Errors: `EINVAL` (bad type).
    ///
    /// The corresponding hypercall is `KEXEC_CMD_kexec_status` (C function `xc_kexec_status`).
    func statusBit(type: UInt8) throws(HypercallFailure) -> Bool
}

/// The operations of ``KexecHypervisor``, named in errors and in the fake's trace.
public enum HypervisorCall: String, Sendable, Equatable, CaseIterable {
    case open
    case getRange = "get_range"
    case machineMemoryMap = "machine_memory_map"
    case commandLine = "xen_version(commandline)"
    case allocate = "hypercall_buffer_alloc"
    case load
    case unload
    case exec
    case status
}

/// A hypervisor call that failed: which call, for which load type, and the errno.
public struct HypercallFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var call: HypervisorCall
    /// The raw `type` argument, for load/unload/exec/status.
    public var type: UInt8?
    public var errno: Errno

    public init(_ call: HypervisorCall, type: UInt8? = nil, errno: Errno) {
        self.call = call
        self.type = type
        self.errno = errno
    }

    public var description: String {
        let t = type.map { " type \($0)" } ?? ""
        return "\(call.rawValue)\(t): \(errno) (errno \(errno.rawValue))"
    }
}
