import KexecPlan
import SystemPackage
import Testing
import XenKexec
@testable import xen_kexec_load

@Suite struct RawLoadTests {
    @Test func parsesCaseLines() throws {
        let text = """
            # comment
            {"id":"c1","type":1,"arch":62,"entry":"0x40000000","segments":[{"hasBuffer":true,"bufSize":4096,"dest":"0x40000000","destSize":4096},{"hasBuffer":false,"bufSize":0,"dest":0,"destSize":1048576}],"segment0Prefix":"48647253"}

            {"id":"c2","type":3,"arch":62,"entry":1073741824,"segments":[]}
            """
        let cases = try RawCaseFile.parse(text)
        #expect(cases == [
            RawLoadCase(id: "c1", type: 1, arch: 62, entry: 0x4000_0000, segments: [
                .init(hasBuffer: true, bufSize: 4096, dest: 0x4000_0000, destSize: 4096),
                .init(hasBuffer: false, bufSize: 0, dest: 0, destSize: 0x10_0000),
            ], segment0Prefix: [0x48, 0x64, 0x72, 0x53]),
            RawLoadCase(id: "c2", type: 3, arch: 62, entry: 0x4000_0000, segments: []),
        ])
        #expect(cases[0].xenLoadRequest.segments.map(\.hasBuffer) == [true, false])
    }

    @Test func refusesBadLines() {
        #expect(throws: KexecError.self) { try RawCaseFile.parse("{\"id\":1}") }
        #expect(throws: KexecError.self) { try RawCaseFile.parse(#"{"id":"x","type":1,"arch":62,"entry":"0xZZ","segments":[]}"#) }
        #expect(throws: KexecError.self) { try RawCaseFile.parse(#"{"id":"x","type":1,"arch":62,"entry":0,"segments":[],"segment0Prefix":"abc"}"#) }
    }

    @Test func verdicts() {
        let outside = XenRuleViolation(rule: .segmentOutsideCrashRegion, segmentIndex: 0, detail: "x")
        let agree = RawVerdict(result: RawLoadResult(id: "a", errno: .addressNotAvailable), predicted: outside)
        #expect(agree.agrees)
        #expect(agree.line == "RAW a xen=EADDRNOTAVAIL rules=EADDRNOTAVAIL (segmentOutsideCrashRegion) agree")
        let accepted = RawVerdict(result: RawLoadResult(id: "b", errno: nil), predicted: nil)
        #expect(accepted.agrees && accepted.line == "RAW b xen=accepted rules=accepted agree")
        let wrong = RawVerdict(result: RawLoadResult(id: "c", errno: .invalidArgument), predicted: nil)
        #expect(!wrong.agrees && wrong.line.hasSuffix("DISAGREE"))
        let stuck = RawVerdict(result: RawLoadResult(id: "d", errno: nil, unloadErrno: .resourceBusy), predicted: nil)
        #expect(stuck.line.contains("unload-failed=errno16"))
    }

    @Test func predictionUsesXenRulesOnTheSameArray() {
        let region = AddressRange(start: 0x4000_0000, size: 0x1000_0000)
        let c = RawLoadCase(id: "x", type: 1, arch: 62, entry: 0x4000_0000, segments: [.init(hasBuffer: true, bufSize: 4096, dest: 0x5000_0000, destSize: 4096)])
        #expect(XenRules.check(c.xenLoadRequest, crashRegion: region, hypervisor: .xen417)?.rule == .segmentOutsideCrashRegion)
    }
}
