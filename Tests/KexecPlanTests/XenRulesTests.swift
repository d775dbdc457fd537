import Testing
@testable import KexecPlan

/// One table-driven case per rule: a request that breaks exactly that rule first.
struct XenRuleCase: Sendable, CustomStringConvertible {
    let rule: XenRule?
    let hypervisor: XenHypervisor
    let request: KexecLoadRequest
    /// The bytes behind the request's file segments (a type-3 segment 0's setup header).
    var files: SegmentFiles = .none
    let region: AddressRange?
    var description: String { "\(rule?.rawValue ?? "accepted") on \(hypervisor.name)" }
}

let region = AddressRange(start: 0x4000_0000, size: 0x1000_0000)
let lowMap = bufferless(0, 0x10_0000)
/// A segment whose buffer is the first `buf` bytes of the image file.
func seg(_ dest: UInt64, _ size: UInt64, buf: UInt64? = nil) -> KexecSegment {
    KexecSegment(role: nil, dest: dest, destSize: size, source: .file(.image, 0..<Int(buf ?? size)))
}
func bufferless(_ dest: UInt64, _ size: UInt64) -> KexecSegment {
    KexecSegment(role: nil, dest: dest, destSize: size, source: .none)
}
func efiHeader(setupSects: UInt8 = 7, magic: UInt32 = 0x5372_6448, version: UInt16 = 0x020F, alignment: UInt32 = 0x20_0000) -> [UInt8] {
    var k = SyntheticKernel()
    k.setupSects = setupSects
    k.kernelAlignment = alignment
    k.version = version
    var b = Array(k.bytes().prefix(0x270))
    for i in 0..<4 { b[0x202 + i] = UInt8(truncatingIfNeeded: magic >> (8 * UInt32(i))) }
    return b
}
let goodEFI = KexecLoadRequest(
    rawType: 3, arch: 62, entryMaddr: 0x4f00_0000,
    segments: [seg(0x4bff_f000, 0x40_1000), seg(0x4f00_0000, 0x1000), lowMap])
let goodEFIFiles = SegmentFiles(image: efiHeader())

let ruleCases: [XenRuleCase] = [
    XenRuleCase(rule: nil, hypervisor: .xen417, request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: [seg(0x4000_0000, 0x1000), lowMap]), region: region),
    XenRuleCase(rule: nil, hypervisor: .v2Series, request: goodEFI, files: goodEFIFiles, region: region),
    XenRuleCase(rule: .tooManySegments, hypervisor: .xen417,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: (0..<16).map { seg(0x4000_0000 + UInt64($0) * 0x1000, 0x1000) }), region: region),
    XenRuleCase(rule: .unknownType, hypervisor: .xen417, request: goodEFI, files: goodEFIFiles, region: region),
    XenRuleCase(rule: .unknownType, hypervisor: .v2Series, request: KexecLoadRequest(rawType: 2, arch: 62, entryMaddr: 0, segments: []), region: region),
    XenRuleCase(rule: .entryOutsideCrashRegion, hypervisor: .xen417,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x5000_0001, segments: [seg(0x4000_0000, 0x1000)]), region: region),
    // The region's end is inclusive for the entry.
    XenRuleCase(rule: nil, hypervisor: .xen417,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x5000_0000, segments: [seg(0x4000_0000, 0x1000)]), region: region),
    XenRuleCase(rule: .segmentOutsideCrashRegion, hypervisor: .xen417,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: [seg(0x4fff_f000, 0x2000)]), region: region),
    XenRuleCase(rule: .segmentNotPageAligned, hypervisor: .xen417,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: [seg(0x4000_0000, 0x1001, buf: 0x10)]), region: region),
    // The v2 series rounds instead.
    XenRuleCase(rule: nil, hypervisor: .v2Series,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: [seg(0x4000_0010, 0x1001, buf: 0x10)]), region: region),
    XenRuleCase(rule: .segmentsOverlap, hypervisor: .xen417,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: [seg(0x4000_0000, 0x2000), seg(0x4000_1000, 0x1000)]), region: region),
    // Sharing a page is an overlap once the v2 series rounds.
    XenRuleCase(rule: .segmentsOverlap, hypervisor: .v2Series,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: [seg(0x4000_0000, 0x800), seg(0x4000_0800, 0x800)]), region: region),
    XenRuleCase(rule: .bufferLargerThanDestination, hypervisor: .xen417,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: [seg(0x4000_0000, 0x1000, buf: 0x1001)]), region: region),
    XenRuleCase(rule: .noControlPage, hypervisor: .xen417,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: [seg(0x4000_0000, 0x1000_0000)]), region: region),
    XenRuleCase(rule: .emptyBufferlessSegment, hypervisor: .xen417,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: [bufferless(0x20_0000, 0)]), region: region),
    // 6 free pages: control, its L4/L3/L2/L1, indirection — none left for the L1 of the segment's second 2 MiB block.
    XenRuleCase(rule: .noPageTablePage, hypervisor: .xen417,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: [seg(0x4000_6000, 0x0FFF_A000)]), region: region),
    // The test Xen refuses a type-3 end that wraps (or ends in the last page) in
    // do_kimage_alloc; the load phase would answer ENOMEM (the model's old answer).
    XenRuleCase(rule: .segmentEndWraps, hypervisor: .testXen,
                request: { var r = goodEFI; r.segments.append(bufferless(UInt64.max - 0x7FF, 0x1000)); return r }(), files: goodEFIFiles, region: region),
    XenRuleCase(rule: .segmentEndWraps, hypervisor: .testXen,
                request: { var r = goodEFI; r.segments.append(bufferless(UInt64.max - 0x1FFF, 0x1800)); return r }(), files: goodEFIFiles, region: region),
    // An empty buffer-less type-3 segment at an unaligned address: the test Xen maps the page
    // it touches and accepts it; at an aligned address it is empty and refused.
    XenRuleCase(rule: nil, hypervisor: .testXen,
                request: { var r = goodEFI; r.segments.append(bufferless(0x4fff_c234, 0)); return r }(), files: goodEFIFiles, region: region),
    XenRuleCase(rule: .emptyBufferlessSegment, hypervisor: .testXen,
                request: { var r = goodEFI; r.segments.append(bufferless(0x4fff_c000, 0)); return r }(), files: goodEFIFiles, region: region),
    XenRuleCase(rule: .efiSegment0Unusable, hypervisor: .testXen,
                request: KexecLoadRequest(rawType: 3, arch: 62, entryMaddr: 0x4f00_0000, segments: [seg(0x4bff_b000, 0x40_5000, buf: 0x200), seg(0x4f00_0000, 0x1000), lowMap]), files: SegmentFiles(image: efiHeader()), region: region),
    XenRuleCase(rule: .efiArchNotX86_64, hypervisor: .testXen,
                request: KexecLoadRequest(rawType: 3, arch: 3, entryMaddr: 0x4f00_0000, segments: goodEFI.segments), files: SegmentFiles(image: efiHeader()), region: region),
    // The v2 series itself takes EM_386 for type 3 (and would enter 64-bit code in 32-bit mode).
    XenRuleCase(rule: nil, hypervisor: .v2Series,
                request: KexecLoadRequest(rawType: 3, arch: 3, entryMaddr: 0x4f00_0000, segments: goodEFI.segments), files: SegmentFiles(image: efiHeader()), region: region),
    XenRuleCase(rule: .efiKernelHeaderInvalid, hypervisor: .v2Series,
                request: KexecLoadRequest(rawType: 3, arch: 62, entryMaddr: 0x4f00_0000, segments: goodEFI.segments), files: SegmentFiles(image: efiHeader(magic: 0)), region: region),
    // v2 as posted reads at the page start: kern16 0xa00 puts segment 0 at 0x600 into its page.
    XenRuleCase(rule: .efiKernelHeaderInvalid, hypervisor: .v2Series,
                request: KexecLoadRequest(rawType: 3, arch: 62, entryMaddr: 0x4f00_0000, segments: [seg(0x4bff_f600, 0x40_0a00), seg(0x4f00_0000, 0x1000), lowMap]), files: SegmentFiles(image: efiHeader(setupSects: 4)), region: region),
    XenRuleCase(rule: nil, hypervisor: .v2SeriesUnalignedHeader,
                request: KexecLoadRequest(rawType: 3, arch: 62, entryMaddr: 0x4f00_0000, segments: [seg(0x4bff_f600, 0x40_0a00), seg(0x4f00_0000, 0x1000), lowMap]), files: SegmentFiles(image: efiHeader(setupSects: 4)), region: region),
    XenRuleCase(rule: .efiKernelAlignmentInvalid, hypervisor: .v2Series,
                request: KexecLoadRequest(rawType: 3, arch: 62, entryMaddr: 0x4f00_0000, segments: goodEFI.segments), files: SegmentFiles(image: efiHeader(alignment: 0x30_0000)), region: region),
    XenRuleCase(rule: .efiKernelNotAligned, hypervisor: .v2Series,
                request: KexecLoadRequest(rawType: 3, arch: 62, entryMaddr: 0x4f00_0000, segments: [seg(0x4bfe_f000, 0x40_1000), seg(0x4f00_0000, 0x1000), lowMap]), files: SegmentFiles(image: efiHeader()), region: region),
    XenRuleCase(rule: .unsupportedArch, hypervisor: .xen417,
                request: KexecLoadRequest(rawType: 1, arch: 183, entryMaddr: 0x4000_0000, segments: [seg(0x4000_0000, 0x1000)]), region: region),
    // 7 free pages in one 2 MiB region: enough for everything but the three tables of kexec_reloc's alias.
    XenRuleCase(rule: .noPageTableForRelocationCode, hypervisor: .xen417,
                request: KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: [seg(0x4000_7000, 0x1F_9000)]),
                region: AddressRange(start: 0x4000_0000, size: 0x20_0000)),
]

@Test("XenRules answers like Xen", arguments: ruleCases)
func xenRuleCase(_ c: XenRuleCase) {
    let v = XenRules.check(c.request, files: c.files, crashRegion: c.region, hypervisor: c.hypervisor)
    #expect(v?.rule == c.rule, "\(v?.description ?? "accepted")")
}

@Test func everyRuleHasACase() {
    let covered = Set(ruleCases.compactMap(\.rule))
    for rule in XenRules.allRules { #expect(covered.contains(rule), "no test case for \(rule)") }
}

/// The errnos Xen returns: -EADDRNOTAVAIL from kimage_crash_alloc, -EINVAL from
/// do_kimage_alloc's overlap check, -ENOMEM from machine_kexec_add_page (xen/common/kimage.c,
/// xen/arch/x86/machine_kexec.c), -EINVAL from the type-3 entry checks.
@Test func errnosAreTheOnesXenReturns() {
    #expect(XenRule.segmentOutsideCrashRegion.errno == 99)
    #expect(XenRule.segmentsOverlap.errno == 22)
    #expect(XenRule.noPageTablePage.errno == 12)
    #expect(XenRule.efiKernelNotAligned.errno == 22)
}

@Test func stockXenRefusesTypeThreeWithEINVAL() {
    let v = XenRules.check(goodEFI, files: goodEFIFiles, crashRegion: region, hypervisor: .xen417)
    #expect(v?.errno == 22)
}

@Test func zeroSegmentsAreAccepted() {
    #expect(XenRules.check(KexecLoadRequest(rawType: 1, arch: 62, entryMaddr: 0x4000_0000, segments: []), crashRegion: region, hypervisor: .xen417) == nil)
}
