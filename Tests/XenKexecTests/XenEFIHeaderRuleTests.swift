import KexecImage
import KexecPlan
import Testing

/// The KEXEC_TYPE_CRASH_EFI header rule is written once (`XenEFIHeaderRule`): the loadability
/// check on the file and `XenRules` on what Xen reads back give the same verdict.
@Suite struct XenEFIHeaderRuleTests {
    static let alignments: [UInt32] = [0, 0x10_0000, 0x20_0000, 0x30_0000, 0x40_0000, 0x100_0000, 0x120_0000, 0x200_0000]

    func image(alignment: UInt32) -> [UInt8] {
        var b = PlannerIntegrationTests.bzImage()
        for i in 0..<4 { b[0x230 + i] = UInt8(truncatingIfNeeded: alignment >> (8 * UInt32(i))) }
        return b
    }

    @Test(arguments: alignments)
    func loadabilityAndXenRulesAgree(_ alignment: UInt32) async throws {
        let bytes = image(alignment: alignment)
        let bz = try BzImage.parse(bytes)
        let fileRefused = bz.problems(for: .xenCrashEFI).contains(.kernelAlignmentInvalidForXenEFI(alignment))
        let request = KexecLoadRequest(
            rawType: 3, arch: 62, entryMaddr: 0x4000_3000,
            segments: [KexecSegment(role: .kernel, dest: 0x4020_0000 - 0x1000, destSize: 0x10_0000, source: .file(.image, 0..<bytes.count))])
        let v = XenRules.check(request, files: SegmentFiles(image: bytes), crashRegion: AddressRange(start: 0x4000_0000, size: 0x1000_0000), hypervisor: .v2SeriesUnalignedHeader)
        #expect(fileRefused == (v?.rule == .efiKernelAlignmentInvalid))
        #expect(fileRefused == !XenEFIHeaderRule.acceptsAlignment(alignment))
    }

    @Test func theHeaderRuleUsesSetupHeadersConstants() async {
        #expect(XenEFIHeaderRule.acceptsHeader(magic: SetupHeader.magic, version: SetupHeader.minimumVersionForXenEFI))
        #expect(!XenEFIHeaderRule.acceptsHeader(magic: SetupHeader.magic, version: SetupHeader.minimumVersionForXenEFI - 1))
        #expect(!XenEFIHeaderRule.acceptsHeader(magic: SetupHeader.magic ^ 1, version: 0x020F))
    }
}
