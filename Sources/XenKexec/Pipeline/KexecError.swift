import KexecPlan
import SystemPackage

/// Everything that can go wrong in the backend, as a value with the context an operator
/// needs. Turned into a one-line message and an exit code only at the CLI edge.
public indirect enum KexecError: Error, Equatable, Sendable {
    // MARK: Reaching Xen
    /// dom0 detection failed before libxenctrl was opened.
    case hostUnavailable(XenAccessProblem)
    /// `xc_interface_open` failed.
    case interfaceOpenFailed(Errno)

    // MARK: Xen's answers, classified (see ``ErrnoClassification``)
    /// Xen reserved no crash region (`crashkernel=` missing from Xen's command line).
    case noCrashRegion
    /// `EADDRNOTAVAIL` on load: a segment or the entry lies outside the crash region, or is
    /// not page aligned.
    case segmentOutsideCrashRegion(region: AddressRange?)
    /// `EINVAL` on a crash-efi (type 3) load: this Xen does not know the type.
    case efiLoadTypeUnsupported
    /// `EINVAL` on another load: Xen says the plan breaks one of its rules.
    case loadRejected(type: UInt8, errno: Errno)
    /// `EBUSY`: a kexec is in progress.
    case busy(HypervisorCall)
    /// `ENOMEM` on load: no room for Xen's control pages and page tables, or for the copy.
    case outOfMemory(region: AddressRange?)
    /// `EPERM`/`EACCES`: Xen (XSM) or the privcmd driver refused the caller.
    case notPermitted(HypervisorCall)
    /// `ENOENT` on exec: nothing of that type is loaded.
    case nothingLoaded(type: UInt8)
    /// `ENOSYS`/`EOPNOTSUPP`: this hypervisor lacks kexec.
    case kexecUnsupported(HypervisorCall)
    /// Any other failure, with Xen's errno.
    case hypercallFailed(HypercallFailure)
    /// Hypercall-safe memory for the payload could not be allocated.
    case payloadAllocationFailed(bytes: Int, errno: Errno)
    /// `exec` returned although Xen reported success.
    case execReturned(type: UInt8)

    // MARK: Before the hypercall
    /// No plan could be made, or the plan breaks a rule of Xen's (`PlanError.refusedByXen`,
    /// naming the hypervisor profile); nothing was sent.
    case plan(PlanError)
    /// Segment `segment` of the plan reads the initrd, but none was given (a planner bug).
    case planSegmentWithoutInitrd(segment: Int, role: SegmentRole?)
    /// Segment `segment` of the plan reads bytes `range` of a file of `fileBytes` bytes (a planner bug).
    case planSegmentOutsideFile(segment: Int, role: SegmentRole?, range: Range<Int>, fileBytes: Int)
    /// A kernel or initrd file could not be opened.
    case fileUnavailable(FilePath, Errno)
    /// A kernel or initrd file fails the trust checks.
    case untrustedFile(FilePath, FileTrustProblem)
    /// A file changed size while it was being read.
    case fileChanged(FilePath)
    /// The kernel read for loading no longer has the SHA-256 of the file the Secure Boot gate
    /// verified.
    case fileHashChanged(FilePath, recorded: String, now: String)
    /// The previous image, re-made for a restore from its re-read files and recorded request,
    /// has another plan digest than the one armed: a file changed since it was loaded (or the
    /// host description did), so it is not re-armed.
    case armedImageChanged(kernel: FilePath, initrd: FilePath?, recorded: String, now: String)
    /// The Secure Boot policy refused the kernel (unsigned, tampered, untrusted, revoked, or
    /// a load type Xen does not verify); nothing was sent to Xen.
    case secureBootRefused(SecureBootRefusal)

    // MARK: Safe reload
    /// Xen refused a reload after the preflight passed; `restore` says what became of the
    /// crash slot.
    case reloadRefused(cause: KexecError, restore: RestoreOutcome)

    // MARK: Local state
    /// The provisioning defaults file cannot be parsed.
    case badConfiguration(FilePath, String)
    /// Another instance held the lock for the whole timeout.
    case lockTimeout(FilePath, seconds: Int)
    /// The lock file could not be opened or locked.
    case lockFailed(FilePath, Errno)
    /// The lock file, or its directory, is not root's alone: another user could hold it.
    case lockUntrusted(FilePath, FileTrustProblem)
    /// The armed-image record could not be written or removed.
    case recordUnwritable(FilePath, Errno)
}

/// What happened to the crash slot after Xen refused a reload.
public enum RestoreOutcome: Equatable, Sendable {
    /// The damaged slot was unloaded and the previous plan re-armed (its digest).
    case restored(digest: String)
    /// Restoring was skipped (test-only `xen-kexec-fidelity fault-load --no-restore`): the
    /// slot may hold a damaged image.
    case skipped
    /// This tool had armed nothing (no record); the slot was unloaded so that no possibly
    /// damaged image stays armed.
    case nothingToRestore(disarmed: Bool)
    /// Re-arming failed: nothing is armed (or, if `disarmed` is false, a possibly damaged
    /// image is).
    case failed(reason: KexecError, disarmed: Bool)

    /// True when a usable crash kernel is armed afterwards.
    public var leavesCrashKernelArmed: Bool {
        if case .restored = self { return true }
        return false
    }
}

/// Why a file is not trusted as a crash kernel or initrd.
public enum FileTrustProblem: Equatable, Sendable {
    /// Not a regular file (directory, device, FIFO, socket …).
    case notRegularFile
    /// Writable by group or others (mode shown in octal).
    case writableByOthers(mode: UInt16)
    /// Owned by a user other than root.
    case notOwnedByRoot(uid: UInt32)
}
