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
            { request, region, hv in
                self.lock.with { self._profiles.append(hv.name) }
                return XenRules.check(request, crashRegion: region, hypervisor: hv)
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

    func request(dest: UInt64, type: UInt8 = 1, entry: UInt64 = 0x4000_3000, prefix: [UInt8] = []) -> XenLoadRequest {
        XenLoadRequest(type: type, arch: 62, entry: entry, segments: [
            XenSegmentDescriptor(hasBuffer: true, bufSize: 4096, dest: dest, destSize: 0x1000),
            XenSegmentDescriptor(hasBuffer: false, bufSize: 0, dest: 0, destSize: 0x10_0000),
        ], segment0Prefix: prefix)
    }

    @Test func acceptsWhatXenAccepts() async {
        #expect(StandardPlanner().violation(of: request(dest: 0x4000_0000), host: host, planRequest: PlanRequest(type: .crash)) == nil)
    }

    @Test func refusesASegmentOutsideTheRegionWithXensErrnoAndProfile() async {
        let v = StandardPlanner().violation(of: request(dest: 0x5000_0000), host: host, planRequest: PlanRequest(type: .crash))
        #expect(v?.rule == .segmentOutsideCrashRegion && v?.errno == Errno.addressNotAvailable.rawValue)
        #expect(v?.hypervisor == .xen417 && v?.segmentIndex == 0)
    }

    @Test func refusesAnEntryOutsideTheRegion() async {
        let v = StandardPlanner().violation(of: request(dest: 0x4000_0000, entry: 0x100), host: host, planRequest: PlanRequest(type: .crash))
        #expect(v?.rule == .entryOutsideCrashRegion)
    }

    @Test func readsSegmentZerosHeaderForCrashEFI() async {
        // A page of zeros is no bzImage: Xen's type-3 header check refuses it with EINVAL.
        let zeros = [UInt8](repeating: 0, count: XenLoadRequest.segment0PrefixLength)
        let v = StandardPlanner().violation(of: request(dest: 0x4000_0000, type: 3, prefix: zeros), host: host, planRequest: PlanRequest(type: .crashEFI))
        #expect(v?.errno == Errno.invalidArgument.rawValue && v?.hypervisor == .v2Series)
    }

    /// Segment 0's prefix is taken from the image only for crash-efi plans, and only up to the header.
    @Test func theRequestOfAPlanCarriesSegmentZerosHeaderOnlyForCrashEFI() async throws {
        let image = PlannerIntegrationTests.bzImage()
        for type in [LoadType.crash, .crashEFI] {
            let plan = try Planner.plan(image: image, initrd: nil, host: host, request: PlanRequest(type: type))
            let xen = Planner.xenRequest(for: plan, image: image)
            #expect(xen.segments.count == plan.segments.count)
            #expect(xen.segment0Prefix == (type == .crashEFI ? Array(image.prefix(XenLoadRequest.segment0PrefixLength)) : []))
        }
    }
}
