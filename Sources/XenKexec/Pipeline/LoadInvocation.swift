import KexecPlan
import SystemPackage

/// Whether Xen's rules gate a load.
public enum PreflightMode: Equatable, Sendable {
    /// A plan that breaks a rule of any hypervisor profile it targets is refused, not sent.
    case enforce
    /// `xen-kexec-fidelity fault-load --skip-preflight` (tests only): the rules' verdict is
    /// logged and the plan sent anyway. `arch` (`--arch`) is sent instead of the plan's: Xen
    /// checks `arch` only after copying crash segments, so this forces the refusal that can
    /// damage the armed image.
    case skip(arch: UInt16? = nil)
}

/// What the user asked `load` to do.
public struct LoadInvocation: Sendable {
    public var kernel: FilePath
    public var initrd: FilePath?
    public var request: PlanRequest
    public var preflight: PreflightMode
    /// `false` with `xen-kexec-fidelity fault-load --no-restore` (tests only): after a refused
    /// reload, leave the slot as is.
    public var restoreOnRefusal: Bool

    public init(
        kernel: FilePath, initrd: FilePath?, request: PlanRequest, preflight: PreflightMode = .enforce,
        restoreOnRefusal: Bool = true
    ) {
        self.kernel = kernel
        self.initrd = initrd
        self.request = request
        self.preflight = preflight
        self.restoreOnRefusal = restoreOnRefusal
    }

    /// The request the planner gets: with a skipped preflight, it does not apply Xen's rules;
    /// under the Secure Boot policy, the new kernel is locked down at `lockdown`.
    func planRequest(lockdown: LockdownLevel?) -> PlanRequest {
        var r = request
        if case .skip = preflight { r.skipXenRules = true }
        r.lockdown = lockdown
        return r
    }

    /// `request` as this invocation sends it: with `--skip-preflight --arch` (tests only),
    /// that `arch` instead of the plan's.
    func sent(_ request: KexecLoadRequest) -> KexecLoadRequest {
        var r = request
        if case .skip(let arch?) = preflight { r.arch = arch }
        return r
    }
}

/// A successful load.
public struct LoadOutcome: Sendable {
    public let plan: KexecLoadRequest
    public let record: ArmedImageRecord
    /// The record of the image this load replaced, if this tool had armed one.
    public let replaced: ArmedImageRecord?
    /// True when nothing was sent: the same plan was already armed (``CrashKernelLoader/load(_:keepIfArmed:)``).
    public let unchanged: Bool
    /// What the Secure Boot gate said of the kernel.
    public let gate: SecureBootGate.Outcome
}

/// A plan made from the live host without loading it.
public struct DryRunOutcome: Sendable {
    public let host: HostDescription
    public let plan: KexecLoadRequest
    /// With a skipped preflight, what Xen's rules say of the plan (`nil`: Xen is expected to
    /// accept it). With the preflight enforced, a refused plan is an error instead.
    public let refusal: XenRuleViolation?
    /// What the Secure Boot gate said of the kernel.
    public let gate: SecureBootGate.Outcome
}
