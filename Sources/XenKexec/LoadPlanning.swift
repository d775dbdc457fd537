import KexecPlan

/// The planner as the backend uses it: bytes in (``PayloadBytes`` views of the payload
/// buffers, so hashing reads hypercall memory in place), a ``LoadPlan`` out. The CLI conforms this to
/// `Planner.plan`; the unit tests pass a scripted planner.
public protocol LoadPlanning {
    func plan(
        image: PayloadBytes, initrd: PayloadBytes?,
        host: HostDescription, request: PlanRequest
    ) throws(KexecError) -> LoadPlan
}

/// Xen's rules, applied to exactly what would be sent. The CLI conforms this to
/// `XenRules`; `nil` means Xen is expected to accept the request. `plan` is the request the
/// plan was made for (it says which hypervisors the load targets).
public protocol LoadPreflight {
    func check(_ request: KexecLoadRequest, crashRegion: AddressRange?, plan: PlanRequest) -> PreflightRefusal?
}

/// A preflight that accepts everything (what `--unsafe-skip-preflight` uses).
public struct NoPreflight: LoadPreflight {
    public init() {}
    public func check(_ request: KexecLoadRequest, crashRegion: AddressRange?, plan: PlanRequest) -> PreflightRefusal? { nil }
}
