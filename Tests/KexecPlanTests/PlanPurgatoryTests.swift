import Testing
import KexecImage
@testable import KexecPlan
import KexecPurgatory

/// Every classic plan sends the purgatory last; its table lists every other segment with a
/// buffer in segment order, with one digest: SHA-256 over those buffers in that order. The
/// plan digest (Xen's) is still SHA-256 over every buffer in segment order, recomputed here
/// independently. The test-only request flips one bit of the table's digest and nothing
/// else differs but the plan digest.
@Test(arguments: [LoadType.crash, .default])
func planPurgatoryHoldsTheDigestOfEveryOtherSegment(_ type: LoadType) throws {
    let host = try HostDescription.synthesized(crashRegion: AddressRange(start: 0x4000_0000, size: 0x1000_0000))
    let image = SyntheticKernel().bytes()
    let initrd = [UInt8](repeating: 0x5A, count: 12_345)
    func plan(corrupt: Bool) throws -> LoadPlan {
        try Planner.plan(
            image: image, initrd: initrd, host: host,
            request: PlanRequest(type: type, commandLine: CommandLineRequest(replacement: "console=ttyS0"), corruptPurgatoryDigest: corrupt))
    }
    func buffer(_ s: PlannedSegment) -> [UInt8] {
        switch s.source {
        case .none: return []
        case .generated(let b): return b
        case .file(.image, let r): return Array(image[r])
        case .file(.initrd, let r): return Array(initrd[r])
        }
    }
    let good = try plan(corrupt: false), bad = try plan(corrupt: true)
    #expect(good.segments.allSatisfy { $0.sha256 == nil })  // only on request
    let p = try #require(good.segments.firstIndex { $0.role == .purgatory })
    #expect(good.segments[(p + 1)...].allSatisfy { $0.isBufferless })
    guard case .generated(let code) = good.segments[p].source else { Issue.record("purgatory not generated"); return }
    let checked = good.segments.filter { $0.role != .purgatory && !$0.isBufferless }
    #expect(Set(checked.map(\.role)) == (type == .crash ? [.kernel, .initrd, .bootParams, .elfCoreHeader] : [.kernel, .initrd, .bootParams]))
    let ranges = try #require(PurgatoryDigests.tableRanges(code))
    #expect(ranges.map { $0.address } == checked.map { $0.dest })
    #expect(ranges.map { $0.length } == checked.map { $0.bufSize })
    let others = checked.flatMap(buffer)
    let t = Purgatory.digestTableOffset + PurgatoryDigests.digestOffset
    #expect(Array(code[t..<(t + 32)]) == PlanDigest.sha256(others, 0..<others.count))
    let all = good.segments.flatMap(buffer)
    #expect(good.digest == PlanDigest.sha256(all, 0..<all.count))
    guard case .generated(let badCode) = bad.segments[p].source else { Issue.record("purgatory not generated"); return }
    var flipped = Array(code[t..<(t + 32)])
    flipped[0] ^= 0x01
    #expect(Array(badCode[t..<(t + 32)]) == flipped)
    #expect(good.digest != bad.digest)
    #expect(good.segments.filter { $0.role != .purgatory } == bad.segments.filter { $0.role != .purgatory })
}

/// `--segment-digests`: each segment's own SHA-256, and the same plan digest as without.
@Test func segmentDigestsAreComputedOnlyWhenAsked() throws {
    let host = try HostDescription.synthesized(crashRegion: AddressRange(start: 0x4000_0000, size: 0x1000_0000))
    let image = SyntheticKernel().bytes()
    func plan(_ digests: Bool) throws -> LoadPlan {
        try Planner.plan(image: image, initrd: [1, 2, 3], host: host, request: PlanRequest(type: .crash, segmentDigests: digests))
    }
    let with = try plan(true), without = try plan(false)
    #expect(with.digest == without.digest)
    for s in with.segments {
        if case .generated(let b) = s.source { #expect(s.sha256 == PlanDigest.sha256(b, 0..<b.count), "\(s.role)") }
        if s.isBufferless { #expect(s.sha256 == nil) }
    }
    let kernel = try #require(with.segments.first { $0.role == .kernel })
    guard case .file(.image, let r) = kernel.source else { Issue.record("kernel not from the image"); return }
    #expect(kernel.sha256 == PlanDigest.sha256(image, r))
}
