import KexecPlan
import SystemPackage
import XenKexec

// The seam between the backend and the planner target: `Planner.plan` plans over views of
// the payload buffers (hashing hypercall memory in place), and `XenRules` checks exactly
// the segment array that will be sent.

/// ``LoadPlanning`` over `Planner.plan`.
struct PlannerAdapter: LoadPlanning {
    func plan(
        image: PayloadBytes, initrd: PayloadBytes?,
        host: HostDescription, request: PlanRequest
    ) throws(KexecError) -> LoadPlan {
        do {
            return try Planner.plan(image: image, initrd: initrd, host: host, request: request)
        } catch .noCrashRegion {
            throw .noCrashRegion
        } catch .acpiRsdp(let problem) {
            throw .acpiRsdp(problem)
        } catch {
            throw .planFailed(error.description)
        }
    }
}

/// ``LoadPreflight`` over `XenRules`: the request as Xen will receive it, checked against
/// every hypervisor the plan targets (`Planner.targetHypervisors`). For crash-efi the rules
/// read segment 0's setup header from the payload, as Xen reads it from the destination.
struct XenRulesPreflight: LoadPreflight {
    func check(_ request: KexecLoadRequest, crashRegion: AddressRange?, plan: PlanRequest) -> PreflightRefusal? {
        let raw = Self.xenRequest(request)
        for hv in Planner.targetHypervisors(plan) {
            if let v = XenRules.check(raw, crashRegion: crashRegion, hypervisor: hv) {
                return PreflightRefusal(rule: "\(v.rule.rawValue) on \(hv.name): \(v.detail)", errno: Errno(rawValue: v.errno))
            }
        }
        return nil
    }

    /// The hypercall-shaped request XenRules reads.
    static func xenRequest(_ request: KexecLoadRequest) -> XenLoadRequest {
        var prefix: [UInt8] = []
        if request.type == LoadType.crashEFI.rawValue, let first = request.segments.first?.payload {
            let n = min(first.count, XenLoadRequest.segment0PrefixLength)
            prefix = first.buffer.withUnsafeBytes { Array($0[first.range.lowerBound..<(first.range.lowerBound + n)]) }
        }
        return XenLoadRequest(
            type: request.type, arch: request.arch, entry: request.entryMaddr,
            segments: request.segments.map {
                XenSegmentDescriptor(hasBuffer: $0.payload != nil, bufSize: $0.bufSize, dest: $0.dest, destSize: $0.destSize)
            },
            segment0Prefix: prefix)
    }
}
