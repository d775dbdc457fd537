import KexecPlan
import XenKexec

// The seam between the backend and the planner. The backend needs two things from the
// planner target: `Planner.plan(image:initrd:host:request:)` and `XenRules`. Until they are
// merged into main, this adapter refuses to plan (so nothing can be sent unchecked); on
// merge, only the two bodies below change.

/// ``LoadPlanning`` over the planner.
struct PlannerAdapter: LoadPlanning {
    func plan(
        image: UnsafeRawBufferPointer, initrd: UnsafeRawBufferPointer?,
        host: HostDescription, request: PlanRequest
    ) throws(KexecError) -> LoadPlan {
        // On merge:
        //   do { return try Planner.plan(image: image, initrd: initrd, host: host, request: request) }
        //   catch { throw .planFailed("\(error)") }
        throw .planFailed("this build has no planner yet (branch `plan` not merged)")
    }
}

/// ``LoadPreflight`` over `XenRules`.
struct XenRulesPreflight: LoadPreflight {
    func check(_ request: KexecLoadRequest, crashRegion: AddressRange?) -> PreflightRefusal? {
        // On merge: translate `request` into XenRules' raw request and map its verdict.
        PreflightRefusal(rule: "no XenRules in this build (branch `plan` not merged)", errno: .invalidArgument)
    }
}
