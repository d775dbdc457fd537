import KexecImage
import KexecPlan

/// The planner as the load pipeline uses it: bytes in (``PayloadBytes`` views of the payload
/// buffers for a load, so hashing reads hypercall memory in place; ``FileBytes`` for a dry
/// run, which reads the files on demand), the ``KexecLoadRequest`` checked against Xen's rules
/// out, the value the backend sends. ``StandardPlanner`` is the one the pipeline uses; the
/// protocol exists so that unit tests can pass a scripted planner.
public protocol LoadPlanning {
    /// A plan that every hypervisor profile it targets accepts (`Planner.targetHypervisors`),
    /// unless `request.skipXenRules`. `parsed` is `image` as the pipeline parsed it once
    /// (`nil` when it did not parse: the planner then says why).
    func plan<Bytes: RandomAccessCollection & Sendable>(
        image: Bytes, parsed: KernelImage?, initrd: Bytes?,
        host: HostDescription, request: PlanRequest
    ) throws(KexecError) -> KexecLoadRequest where Bytes.Element == UInt8, Bytes.Index == Int

    /// What Xen's rules say of a request the planner did not check (a skipped preflight only,
    /// test-only `xen-kexec-fidelity fault-load --skip-preflight`, which logs it and sends the
    /// request anyway).
    func violation(of request: KexecLoadRequest, files: SegmentFiles, host: HostDescription, planRequest: PlanRequest) -> XenRuleViolation?
}

/// `Planner.plan` with `XenRules` as its preflight: each target hypervisor profile's rules
/// applied once to the one `KexecLoadRequest` the plan is.
///
/// The corresponding hypercall is `KEXEC_CMD_kexec_load`.
public struct StandardPlanner: LoadPlanning, Sendable {
    /// How one profile's rules are applied (`XenRules.check`, or a test's counting wrapper).
    public let rules: XenRules.Check

    public init(rules: @escaping XenRules.Check = XenRules.check) {
        self.rules = rules
    }

    public func plan<Bytes: RandomAccessCollection & Sendable>(
        image: Bytes, parsed: KernelImage?, initrd: Bytes?,
        host: HostDescription, request: PlanRequest
    ) throws(KexecError) -> KexecLoadRequest where Bytes.Element == UInt8, Bytes.Index == Int {
        do {
            return try Planner.plan(image: image, initrd: initrd, host: host, request: request, rules: rules, parsed: parsed)
        } catch {
            throw .plan(error)
        }
    }

    public func violation(of request: KexecLoadRequest, files: SegmentFiles, host: HostDescription, planRequest: PlanRequest) -> XenRuleViolation? {
        XenRules.firstViolation(
            request, files: files, crashRegion: host.crashRegion, hypervisors: Planner.targetHypervisors(planRequest), check: rules)
    }
}
