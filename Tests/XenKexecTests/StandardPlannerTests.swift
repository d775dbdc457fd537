import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

/// The load pipeline's preflight: `XenRules.check` runs once per target hypervisor profile
/// per load, on the one request that is sent, and its verdicts are Xen's.
@Suite struct StandardPlannerTests {
    /// Counts the profiles `XenRules.check` was applied with.
    final class CheckCounter: @unchecked Sendable {
        private let lock = NSLockLite()
        private var _profiles: [String] = []
        var profiles: [String] { lock.with { _profiles } }

        var rules: XenRules.Check {
            { request, files, region, hv in
                self.lock.with { self._profiles.append(hv.name) }
                return XenRules.check(request, files: files, crashRegion: region, hypervisor: hv)
            }
        }
    }

    func loader(_ h: LoaderHarness, _ counter: CheckCounter) -> CrashKernelLoader {
        CrashKernelLoader(
            hypervisor: h.hv, planner: StandardPlanner(rules: counter.rules), store: h.store,
            trust: FileTrustPolicy(allowedOwners: [SystemCalls.effectiveUserID]), firmware: h.firmware, gate: h.gate, logger: h.logs.logger)
    }

    @Test(arguments: [LoadType.crash, .crashEFI, .default])
    func xenRulesRunOncePerProfilePerLoad(_ type: LoadType) async throws {
        let h = LoaderHarness()
        let counter = CheckCounter()
        let kernel = h.dir.file("bzImage", PlannerIntegrationTests.bzImage())
        let request = PlanRequest(type: type, commandLine: CommandLineRequest(replacement: "console=ttyS0"))
        _ = try await loader(h, counter).load(LoadInvocation(kernel: kernel, initrd: h.initrd, request: request))
        let profiles = Planner.targetHypervisors(request).map(\.name)
        #expect(profiles.count == 2)
        #expect(counter.profiles == profiles)
        #expect(h.hv.loads.count == 1)
    }

    @Test func aSkippedPreflightStillJudgesOncePerProfile() async throws {
        let h = LoaderHarness()
        let counter = CheckCounter()
        let kernel = h.dir.file("bzImage", PlannerIntegrationTests.bzImage())
        let request = PlanRequest(type: .crash, commandLine: CommandLineRequest(replacement: "console=ttyS0"))
        _ = try await loader(h, counter).load(LoadInvocation(kernel: kernel, initrd: h.initrd, request: request, preflight: .skip(arch: 183)))
        // The first profile refuses arch 183 (unsupportedArch); the load is sent anyway.
        #expect(counter.profiles == ["xen-4.17"])
        #expect(h.hv.loads.map(\.arch) == [183])
        #expect(h.messages(.warning).contains { $0.contains("unsupportedArch") && $0.contains("preflight skipped") })
    }

    // MARK: Verdicts

    let region = AddressRange(start: 0x4000_0000, size: 0x1000_0000)
    let host = HostDescription(crashRegion: AddressRange(start: 0x4000_0000, size: 0x1000_0000))

    func request(dest: UInt64, type: UInt8 = 1, entry: UInt64 = 0x4000_3000) -> KexecLoadRequest {
        KexecLoadRequest(rawType: type, arch: 62, entryMaddr: entry, segments: [
            KexecSegment(role: .kernel, dest: dest, destSize: 0x1000, source: .file(.image, 0..<4096)),
            KexecSegment(role: .lowMemoryMap, dest: 0, destSize: 0x10_0000, source: .none),
        ])
    }

    @Test func acceptsWhatXenAccepts() async {
        #expect(StandardPlanner().violation(of: request(dest: 0x4000_0000), files: .none, host: host, planRequest: PlanRequest(type: .crash)) == nil)
    }

    @Test func refusesASegmentOutsideTheRegionWithXensErrnoAndProfile() async {
        let v = StandardPlanner().violation(of: request(dest: 0x5000_0000), files: .none, host: host, planRequest: PlanRequest(type: .crash))
        #expect(v?.rule == .segmentOutsideCrashRegion && v?.errno == Errno.addressNotAvailable.rawValue)
        #expect(v?.hypervisor == .xen417 && v?.segmentIndex == 0)
    }

    @Test func refusesAnEntryOutsideTheRegion() async {
        let v = StandardPlanner().violation(of: request(dest: 0x4000_0000, entry: 0x100), files: .none, host: host, planRequest: PlanRequest(type: .crash))
        #expect(v?.rule == .entryOutsideCrashRegion)
    }

    @Test func readsSegmentZerosHeaderForCrashEFI() async {
        // A page of zeros is no bzImage: Xen's type-3 header check refuses it with EINVAL.
        let zeros = SegmentFiles(image: [UInt8](repeating: 0, count: 4096))
        let v = StandardPlanner().violation(of: request(dest: 0x4000_0000, type: 3), files: zeros, host: host, planRequest: PlanRequest(type: .crashEFI))
        #expect(v?.errno == Errno.invalidArgument.rawValue && v?.hypervisor == .v2Series)
    }

    /// The rules read a crash-efi plan's segment 0 header from the bytes the segment points at:
    /// the image the plan was made from passes, the same request over zeroed bytes does not.
    @Test func theRulesReadSegmentZerosHeaderThroughThePlansOwnSegment() async throws {
        let image = PlannerIntegrationTests.bzImage()
        let plan = try Planner.plan(image: image, initrd: nil, host: host, request: PlanRequest(type: .crashEFI))
        #expect(plan.segments[0].source == .file(.image, 0..<image.count))
        let planRequest = PlanRequest(type: .crashEFI)
        #expect(StandardPlanner().violation(of: plan, files: SegmentFiles(image: image), host: host, planRequest: planRequest) == nil)
        let zeroed = SegmentFiles(image: [UInt8](repeating: 0, count: image.count))
        #expect(StandardPlanner().violation(of: plan, files: zeroed, host: host, planRequest: planRequest)?.rule == .efiKernelHeaderInvalid)
    }
}
