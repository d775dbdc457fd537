import KexecPlan
import Testing
@testable import XenKexec

@Suite struct RawLoadRunnerTests {
    let base: UInt64 = 0x4000_0000

    @Test func sendsTheArrayAsGivenAndUnloadsWhatXenAccepted() throws {
        let hv = RecordingHypervisor()
        let c = RawLoadCase(id: "ok", type: 1, arch: 62, entry: base, segments: [
            .init(hasBuffer: true, bufSize: 0x300, dest: base, destSize: 0x1000),
            .init(hasBuffer: false, bufSize: 0, dest: 0, destSize: 0x10_0000),
            .init(hasBuffer: true, bufSize: 0, dest: base + 0x1000, destSize: 0x1000),
        ], segment0Prefix: [0x48, 0x64, 0x72, 0x53])
        let r = try RawLoadRunner(hypervisor: hv).run(c)
        #expect(r == RawLoadResult(id: "ok", errno: nil, unloadErrno: nil))
        #expect(hv.eventNames == ["allocate", "allocate", "load:1", "unload:1"])
        #expect(hv.loads[0].entry == base && hv.loads[0].arch == 62)
        #expect(hv.loads[0].segments == [
            RecordedSegment(dest: base, destSize: 0x1000, bufSize: 0x300, sha256: sha256Hex([0x48, 0x64, 0x72, 0x53] + Array(repeating: 0, count: 0x2FC))),
            RecordedSegment(dest: 0, destSize: 0x10_0000, bufSize: 0, sha256: nil),
            RecordedSegment(dest: base + 0x1000, destSize: 0x1000, bufSize: 0, sha256: sha256Hex([])),  // non-NULL, empty
        ])
    }

    @Test func recordsXensErrnoAndDoesNotUnload() throws {
        let hv = RecordingHypervisor()
        hv.fail(.load, with: .addressNotAvailable)
        let r = try RawLoadRunner(hypervisor: hv).run(RawLoadCase(id: "out", type: 7, arch: 183, entry: 0, segments: []))
        #expect(r.errno == .addressNotAvailable)
        #expect(hv.eventNames == ["load:7"])
        #expect(hv.loads[0].arch == 183)
    }

    @Test func defaultCasesUnloadTheDefaultSlot() throws {
        let hv = RecordingHypervisor()
        hv.fail(.unload, with: .resourceBusy)
        let r = try RawLoadRunner(hypervisor: hv).run(RawLoadCase(id: "d", type: 0, arch: 62, entry: 0, segments: []))
        #expect(r == RawLoadResult(id: "d", errno: nil, unloadErrno: .resourceBusy))
        #expect(hv.eventNames == ["load:0", "unload:0"])
    }

    @Test func refusesHugeBuffersBeforeSending() {
        let hv = RecordingHypervisor()
        let c = RawLoadCase(id: "big", type: 1, arch: 62, entry: 0, segments: [.init(hasBuffer: true, bufSize: 1 << 40, dest: 0, destSize: 1 << 40)])
        #expect(throws: KexecError.self) { try RawLoadRunner(hypervisor: hv).run(c) }
        #expect(hv.loads.isEmpty)
    }
}
