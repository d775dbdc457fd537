#if canImport(Glibc)
import Glibc
#endif
import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

@Suite struct ErrnoClassificationTests {
    let region = AddressRange(start: 0x4000_0000, size: 0x1000_0000)

    func classify(_ call: HypervisorCall, type: UInt8? = nil, _ e: Errno) -> KexecError {
        ErrnoClassification.classify(HypercallFailure(call, type: type, errno: e), context: .init(crashRegion: region))
    }

    @Test func loadErrnos() async {
        #expect(classify(.load, type: 1, .addressNotAvailable) == .segmentOutsideCrashRegion(region: region))
        #expect(classify(.load, type: 3, .addressNotAvailable) == .segmentOutsideCrashRegion(region: region))
        #expect(classify(.load, type: 3, .invalidArgument) == .efiLoadTypeUnsupported)
        // A Xen that answers kexec_status(3) knows the type: its EINVAL refuses the image.
        let knows = ErrnoClassification.classify(HypercallFailure(.load, type: 3, errno: .invalidArgument), context: .init(crashRegion: region, efiTypeKnown: true))
        #expect(knows == .loadRejected(type: 3, errno: .invalidArgument))
        #expect(classify(.load, type: 1, .invalidArgument) == .loadRejected(type: 1, errno: .invalidArgument))
        #expect(classify(.load, type: 0, .invalidArgument) == .loadRejected(type: 0, errno: .invalidArgument))
        #expect(classify(.load, type: 1, .noMemory) == .outOfMemory(region: region))
        #expect(classify(.load, type: 1, .resourceBusy) == .busy(.load))
        #expect(classify(.load, type: 1, .notPermitted) == .notPermitted(.load))
        #expect(classify(.load, type: 1, .permissionDenied) == .notPermitted(.load))
        #expect(classify(.load, type: 1, .noFunction) == .kexecUnsupported(.load))
        #expect(classify(.load, type: 1, .notSupported) == .kexecUnsupported(.load))
        #expect(classify(.load, type: 1, .badAddress) == .hypercallFailed(HypercallFailure(.load, type: 1, errno: .badAddress)))
    }

    @Test func execErrnos() async {
        #expect(classify(.exec, type: 0, .noSuchFileOrDirectory) == .nothingLoaded(type: 0))
        #expect(classify(.exec, type: 1, .noSuchFileOrDirectory) == .nothingLoaded(type: 1))
        #expect(classify(.exec, type: 1, .invalidArgument) == .hypercallFailed(HypercallFailure(.exec, type: 1, errno: .invalidArgument)))
        #expect(classify(.exec, type: 0, .notPermitted) == .notPermitted(.exec))
    }

    @Test func unloadStatusAndRangeErrnos() async {
        #expect(classify(.unload, type: 1, .resourceBusy) == .busy(.unload))
        #expect(classify(.unload, type: 7, .invalidArgument) == .hypercallFailed(HypercallFailure(.unload, type: 7, errno: .invalidArgument)))
        #expect(classify(.status, type: 7, .invalidArgument) == .hypercallFailed(HypercallFailure(.status, type: 7, errno: .invalidArgument)))
        #expect(classify(.getRange, .notPermitted) == .notPermitted(.getRange))
        #expect(classify(.getRange, .noFunction) == .kexecUnsupported(.getRange))
        #expect(classify(.machineMemoryMap, .badAddress) == .hypercallFailed(HypercallFailure(.machineMemoryMap, errno: .badAddress)))
        #expect(classify(.allocate, .noMemory) == .payloadAllocationFailed(bytes: 0, errno: .noMemory))
        #expect(classify(.open, .noSuchFileOrDirectory) == .interfaceOpenFailed(.noSuchFileOrDirectory))
    }

    @Test func regionIsCarriedOnlyWhenKnown() async {
        let f = HypercallFailure(.load, type: 1, errno: .noMemory)
        #expect(ErrnoClassification.classify(f) == .outOfMemory(region: nil))
    }
}

@Suite struct XenAccessTests {
    func obs(xen: Bool = true, procXen: Bool = true, caps: String? = "control_d\n", privcmd: Bool = true, uid: UInt32 = 0) -> XenHostObservation {
        XenHostObservation(sysHypervisorIsXen: xen, procXenExists: procXen, capabilities: caps, privcmdExists: privcmd, effectiveUserID: uid)
    }

    @Test func dom0AsRootIsUsable() async {
        #expect(XenAccessProblem.check(obs()) == nil)
        #expect(XenAccessProblem.check(obs(xen: false)) == nil)  // /proc/xen alone is enough
    }

    @Test func problemsInTheOrderAnOperatorFixesThem() async {
        #expect(XenAccessProblem.check(obs(xen: false, procXen: false, caps: nil, privcmd: false, uid: 1000)) == .notXen)
        #expect(XenAccessProblem.check(obs(caps: nil, privcmd: false)) == .xenfsNotMounted)
        #expect(XenAccessProblem.check(obs(procXen: false, caps: nil)) == .xenfsNotMounted)
        #expect(XenAccessProblem.check(obs(caps: "")) == .notDom0(capabilities: ""))
        #expect(XenAccessProblem.check(obs(caps: "control_dx\n")) == .notDom0(capabilities: "control_dx"))
        #expect(XenAccessProblem.check(obs(privcmd: false)) == .noPrivcmd)
        #expect(XenAccessProblem.check(obs(uid: 1000)) == .notRoot(uid: 1000))
    }

    @Test func readsAFakeRoot() async throws {
        let dir = ScratchDirectory()
        defer { dir.cleanup() }
        #expect(XenAccessProblem.check(XenHostObservation.current(root: dir.path)) == .notXen)
        _ = system("mkdir -p '\(dir.path)/proc/xen' '\(dir.path)/sys/hypervisor' '\(dir.path)/dev/xen'")
        dir.file("sys/hypervisor/type", Array("xen\n".utf8))
        #expect(XenAccessProblem.check(XenHostObservation.current(root: dir.path)) == .xenfsNotMounted)
        dir.file("proc/xen/capabilities", Array("control_d\n".utf8))
        #expect(XenAccessProblem.check(XenHostObservation.current(root: dir.path)) == .noPrivcmd)
        dir.file("dev/xen/privcmd", [])
        let o = XenHostObservation.current(root: dir.path)
        #expect(XenAccessProblem.check(o) == (o.effectiveUserID == 0 ? nil : .notRoot(uid: o.effectiveUserID)))
    }
}
