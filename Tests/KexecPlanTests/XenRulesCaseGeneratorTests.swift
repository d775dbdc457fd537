import Testing
@testable import KexecPlan
import KexecTestSupport

/// The generator behind the differential test (`xen-kexec-fidelity`): reproducible, near every rule's edge.
struct XenRulesCaseGeneratorTests {
    let region = AddressRange(start: 0x4000_0000, size: 0x1000_0000)
    let window = AddressRange(start: 0x100_0000, size: 0x400_0000)

    @Test func sameSeedSameCases() {
        let g = XenRulesCaseGenerator(crashRegion: region, defaultWindow: window, includeCrashEFI: true)
        #expect(g.cases(seed: 7, count: 120) == g.cases(seed: 7, count: 120))
        #expect(g.cases(seed: 7, count: 120) != g.cases(seed: 8, count: 120))
    }

    @Test func stockXenCasesReachEveryRuleXen417Has() {
        let g = XenRulesCaseGenerator(crashRegion: region, defaultWindow: window, includeCrashEFI: false)
        let answers = Set(g.cases(seed: 417, count: 264).map {
            XenRules.check($0.request, crashRegion: region, hypervisor: .xen417)?.rule.rawValue ?? "accept"
        })
        let efiOnly: Set<String> = ["efiSegment0Unusable", "efiArchNotX86_64", "efiKernelHeaderInvalid", "efiKernelAlignmentInvalid", "efiKernelNotAligned", "segmentEndWraps"]
        let expected = Set(XenRules.allRules.map(\.rawValue)).subtracting(efiOnly).union(["accept"])
        #expect(answers == expected)
    }

    @Test func testXenCasesReachTheEFIRules() {
        let g = XenRulesCaseGenerator(crashRegion: region, defaultWindow: window, includeCrashEFI: true)
        let answers = Set(g.cases(seed: 3, count: 288).map {
            XenRules.check($0.request, crashRegion: region, hypervisor: .testXen)?.rule.rawValue ?? "accept"
        })
        // Every rule the test Xen has, each at least once (none is unreachable).
        #expect(answers == Set(XenRules.allRules.map(\.rawValue)).union(["accept"]))
    }

    @Test func edgeCasesAnswerAsXenDoes() {
        let g = XenRulesCaseGenerator(crashRegion: region, defaultWindow: window, includeCrashEFI: true)
        let cases = g.cases(seed: 1, count: XenRulesCaseGenerator.probes(efi: true).count)
        func answer(_ probe: String, _ h: XenHypervisor = .xen417) -> String {
            let c = cases.first { $0.probe == probe }!
            return XenRules.check(c.request, crashRegion: region, hypervisor: h)?.rule.rawValue ?? "accept"
        }
        #expect(answer("entry-at-end-inclusive") == "accept")
        #expect(answer("entry-past-end") == "entryOutsideCrashRegion")
        #expect(answer("segment-at-end") == "accept")
        #expect(answer("segment-past-end") == "segmentOutsideCrashRegion")
        #expect(answer("touching") == "accept")
        #expect(answer("overlap-one-page") == "segmentsOverlap")
        #expect(answer("buf-dest-plus-one") == "bufferLargerThanDestination")
        #expect(answer("fifteen-segments") == "accept")
        #expect(answer("sixteen-segments") == "tooManySegments")
        #expect(answer("type-3-on-any") == "unknownType")
        #expect(answer("type-3-on-any", .testXen) == "accept")
        #expect(answer("efi-valid-unaligned-kern16", .testXen) == "accept")
        #expect(answer("efi-valid-unaligned-kern16", .v2Series) == "efiKernelHeaderInvalid")
        #expect(answer("efi-align-3m", .testXen) == "efiKernelAlignmentInvalid")
        #expect(answer("efi-misaligned-page", .testXen) == "efiKernelNotAligned")
        #expect(answer("efi-arch-386", .testXen) == "efiArchNotX86_64")
        #expect(answer("efi-arch-386", .v2Series) == "accept")
        #expect(answer("efi-segment0-short", .testXen) == "efiSegment0Unusable")
        // The test Xen refuses a type-3 end that wraps in do_kimage_alloc (EADDRNOTAVAIL), before
        // the load phase, and widens an empty buffer-less type-3 segment to the page it touches.
        #expect(answer("efi-end-wraps", .testXen) == "segmentEndWraps")
        #expect(answer("efi-bufferless-empty-unaligned", .testXen) == "accept")
        #expect(answer("bufferless-empty", .testXen) == "emptyBufferlessSegment")
        #expect(answer("reloc-tables-missing") == "noPageTableForRelocationCode")
        #expect(answer("reloc-tables-missing", .testXen) == "noPageTableForRelocationCode")
    }

    @Test func buffersStaySmall() {
        let g = XenRulesCaseGenerator(crashRegion: region, defaultWindow: window, includeCrashEFI: true)
        for c in g.cases(seed: 9, count: 300) {
            #expect(c.request.segments.allSatisfy { !$0.hasBuffer || $0.bufSize <= UInt64(XenRulesCaseGenerator.maxBufferBytes) + 1 })
        }
    }
}
