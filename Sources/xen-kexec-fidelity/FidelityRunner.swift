import KexecPlan
import KexecTestSupport
import SystemPackage
import XenKexec

/// Sends generated segment arrays straight to the hypervisor and compares Xen's answers with
/// `XenRules`' predictions (see `XenKexecFidelity`).
struct FidelityRunner {
    let hypervisor: any KexecHypervisor
    let rules: XenHypervisor
    let crashRegion: AddressRange
    let defaultWindow: AddressRange

    struct Result {
        var agree = 0
        var disagree = 0
        /// Cases per rule (and `accept`), for the rule table in docs/xen-rules.md.
        var ruleCounts: [String: Int] = [:]
    }

    /// Reads the crash region and the machine map, and picks a RAM window for default loads:
    /// 64 MiB of RAM at or above 16 MiB that is neither the crash region nor Xen's image.
    init(hypervisor: any KexecHypervisor, rules: XenHypervisor) throws(FidelityError) {
        self.hypervisor = hypervisor
        self.rules = rules
        let region: AddressRange?
        let map: [MemoryRange]
        let xenImage: AddressRange?
        do {
            region = try hypervisor.crashRegion()
            map = try hypervisor.machineMemoryMap()
            xenImage = try hypervisor.xenImageRange()
        } catch {
            throw .queryFailed(error)
        }
        guard let region, region.size > 0 else { throw .noCrashRegion }
        crashRegion = region
        let want: UInt64 = 0x400_0000
        var window: AddressRange?
        for m in map where m.isRAM {
            let start = max(m.range.start, 0x100_0000)
            guard let end = m.range.end, end > start, end - start >= want else { continue }
            var candidate = AddressRange(start: start, size: want)
            for avoid in [region, xenImage].compactMap({ $0 }) where candidate.overlaps(avoid) {
                candidate.start = (avoid.end ?? start)
            }
            if let e = candidate.end, e <= end, !candidate.overlaps(region) { window = candidate; break }
        }
        guard let window else { throw .noDefaultWindow }
        defaultWindow = window
    }

    func generator(includeCrashEFI: Bool) -> XenRulesCaseGenerator {
        XenRulesCaseGenerator(crashRegion: crashRegion, defaultWindow: defaultWindow, includeCrashEFI: includeCrashEFI)
    }

    /// Runs every case: predict, load, unload on success, compare errno. Prints a line per case.
    func run(_ cases: [XenRulesCaseGenerator.Case]) throws(FidelityError) -> Result {
        // One zero-filled scratch image: every case's file segments read their own slot of it.
        let image: PayloadBuffer
        do { image = try hypervisor.allocatePayload(byteCount: XenRulesCaseGenerator.imageBytes) } catch {
            throw .payloadAllocationFailed(bytes: XenRulesCaseGenerator.imageBytes, error)
        }
        let files = SegmentFiles(image: PayloadBytes(image))
        var result = Result()
        for c in cases {
            let predicted = XenRules.check(c.request, files: files, crashRegion: crashRegion, hypervisor: rules)
            let buffers: SegmentBuffers
            do {
                buffers = try SegmentBuffers(for: c.request, image: image, initrd: nil, allocate: { (n: Int) throws(KexecError) in
                    do throws(HypercallFailure) { return try hypervisor.allocatePayload(byteCount: n) } catch {
                        throw .payloadAllocationFailed(bytes: n, errno: error.errno)
                    }
                })
            } catch {
                throw .caseBuffers(index: c.index, error)
            }
            var actual: Errno? = nil
            do {
                try hypervisor.load(c.request, buffers: buffers)
            } catch {
                actual = error.errno
            }
            if actual == nil {
                // Leave nothing armed: a successful load goes straight back out.
                let slotType: UInt8 = c.request.type == 0 ? 0 : 1
                try? hypervisor.unload(type: slotType)
            }
            let expected = predicted.map { $0.rule.errno }
            let agrees = expected == actual?.rawValue
            if agrees { result.agree += 1 } else { result.disagree += 1 }
            let key = predicted?.rule.rawValue ?? "accept"
            result.ruleCounts[key, default: 0] += 1
            let xenText = actual.map { XenErrno.name($0.rawValue) } ?? "accept"
            FidelityOutput.line("FIDELITY case \(c.index) \(c.probe): predicted \(FidelityOutput.describe(predicted)), xen \(xenText): \(agrees ? "agree" : "DISAGREE")")
            if !agrees, let v = predicted { FidelityOutput.line("  (\(v.detail))") }
            if !agrees { FidelityOutput.line("  request: \(FidelityOutput.describe(c.request))") }
        }
        return result
    }
}
