import Foundation
import Testing
@testable import KexecPurgatory
import KexecTestSupport

/// Runs the purgatory's generated SHA-256 and digest-check code natively (the tests run on
/// x86-64), mapped executable by `MappedPurgatoryRoutines` (KexecTestSupport, where the
/// pointer work is fenced). Only the unprivileged routines are called; the entry (cli, lgdt,
/// control registers, port I/O) never runs here. Both SHA-256 paths run: the SHA-NI one needs
/// a CPU with SHA, SSSE3 and SSE4.1, and its tests fail, with that said, on a CPU without.
@Suite(.serialized) struct PurgatoryExecutionTests {
    static func random(_ n: Int, _ rng: inout SplitMix64) -> [UInt8] {
        (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// The flags Linux reports for this CPU (the first `flags` line of /proc/cpuinfo).
    static func cpuFlags() -> Set<String> {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        return Set(line.split(separator: ":").last?.split(separator: " ").map(String.init) ?? [])
    }

    /// What the SHA-NI path needs: Linux's names for CPUID SHA, SSSE3 and SSE4.1.
    static let shaNIFlags: Set<String> = ["sha_ni", "ssse3", "sse4_1"]

    /// Fails the calling test (never skips) when this CPU lacks the SHA-NI path's instructions.
    static func requireSHANI() -> Bool {
        let missing = shaNIFlags.subtracting(cpuFlags())
        if missing.isEmpty { return true }
        Issue.record("this test runs the SHA-NI path and needs a CPU with SHA, SSSE3 and SSE4.1: /proc/cpuinfo lacks \(missing.sorted().joined(separator: ", "))")
        return false
    }

    static func lengths(_ rng: inout SplitMix64) -> [Int] {
        [0, 1, 3, 55, 56, 57, 63, 64, 65, 111, 119, 120, 127, 128, 129, 1000, 4096, 100_003, 1 << 20, (1 << 20) + 17]
            + (0..<64).map { _ in Int.random(in: 0..<600, using: &rng) }
    }

    @Test func scalarPathMatchesSwiftCryptoOnEveryPaddingCase() throws {
        let m = try MappedPurgatoryRoutines()
        var rng = SplitMix64(seed: 0x5348_4132_3536)
        for n in Self.lengths(&rng) {
            let data = Self.random(n, &rng)
            #expect(m.digest(data, path: PurgatoryRoutines.scalarPath) == sha256(data), "scalar, length \(n)")
        }
    }

    @Test func shaNIPathMatchesSwiftCryptoOnEveryPaddingCase() throws {
        guard Self.requireSHANI() else { return }
        let m = try MappedPurgatoryRoutines()
        var rng = SplitMix64(seed: 0x5348_414e_49)
        for n in Self.lengths(&rng) {
            let data = Self.random(n, &rng)
            #expect(m.digest(data, path: PurgatoryRoutines.shaNIPath) == sha256(data), "SHA-NI, length \(n)")
        }
    }

    /// `sha256.select` (CPUID leaf 1 ECX bits 9 and 19, leaf 7 EBX bit 29) picks the path
    /// /proc/cpuinfo's flags imply, and the CPU's choice hashes as both forced paths do.
    @Test func cpuidChoiceAgreesWithProcCpuinfo() throws {
        let m = try MappedPurgatoryRoutines()
        let expected = Self.shaNIFlags.isSubset(of: Self.cpuFlags()) ? PurgatoryRoutines.shaNIPath : PurgatoryRoutines.scalarPath
        #expect(m.selectedPath() == expected)
        var rng = SplitMix64(seed: 7)
        let data = Self.random(3 * 64 + 5, &rng)
        #expect(m.digest(data) == m.digest(data, path: PurgatoryRoutines.scalarPath))
    }

    /// This host (AMD EPYC) has SHA-NI, so the purgatory's own choice here is the SHA-NI path.
    @Test func thisHostChoosesTheSHANIPath() throws {
        guard Self.requireSHANI() else { return }
        #expect(try MappedPurgatoryRoutines().selectedPath() == PurgatoryRoutines.shaNIPath)
    }

    @Test(arguments: [PurgatoryRoutines.scalarPath, PurgatoryRoutines.shaNIPath])
    func sha256OfKnownVectors(_ path: UInt) throws {
        if path == PurgatoryRoutines.shaNIPath { guard Self.requireSHANI() else { return } }
        let m = try MappedPurgatoryRoutines()
        // FIPS 180-4 examples (NIST CSRC SHA256.pdf): "abc", the two-block message, the empty string.
        #expect(sha256Hex(digest: m.digest(Array("abc".utf8), path: path)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256Hex(digest: m.digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8), path: path))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(sha256Hex(digest: m.digest([], path: path)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// A purgatory whose table names three host buffers (as a plan's names its segments), its
    /// digest the SHA-256 of the three in order (what `PlanDigest` writes with
    /// `PurgatoryDigests.fill`); `verify` is called on the table inside the purgatory bytes.
    /// It answers 1 for any difference; the one digest names no single segment.
    @Test func verifyAcceptsMatchingSegmentsAndRefusesAnyChange() throws {
        let m = try MappedPurgatoryRoutines()
        var rng = SplitMix64(seed: 13)
        var kernel = Self.random(200_000, &rng), initrd = Self.random(70_001, &rng), params = Self.random(4096 + 57, &rng)
        let recorded = sha256(kernel + initrd + params)
        /// `verify`'s answer (0: the digest matched).
        func run(corrupt: Bool, scribble: ((inout [UInt8], inout [UInt8]) -> Void)? = nil) throws -> UInt {
            // SAFETY: the buffers stay alive and unmoved for the whole closure; their addresses
            // go into the table as the segments' "machine addresses", read only by `verify`.
            try kernel.withUnsafeMutableBytes { k in
                try initrd.withUnsafeMutableBytes { i in
                    try params.withUnsafeBytes { p in
                        let checks = [(UnsafeRawPointer(k.baseAddress!), k.count), (UnsafeRawPointer(i.baseAddress!), i.count), (p.baseAddress!, p.count)]
                            .map { ptr, n in PurgatoryDigests.Check(address: UInt64(UInt(bitPattern: ptr)), length: UInt64(n)) }
                        var code = try Purgatory.build(.init(
                            loadAddress: 0x4ff5_b000, bootParams: 0x4ff5_9000, kernelEntry: 0x4be0_0200, backup: nil, checks: checks)).bytes
                        PurgatoryDigests.fill(&code, digest: recorded, corrupt: corrupt)
                        if let scribble {
                            var kb = [UInt8](k), ib = [UInt8](i)
                            scribble(&kb, &ib)
                            k.copyBytes(from: kb)
                            i.copyBytes(from: ib)
                        }
                        return code.withUnsafeBytes { c in m.verify(c.baseAddress! + Purgatory.digestTableOffset) }
                    }
                }
            }
        }
        #expect(try run(corrupt: false) == 0)
        // The planner recorded a wrong digest (xen-kexec-fidelity fault-load --corrupt-purgatory-digest).
        #expect(try run(corrupt: true) == 1)
        // A byte of the initrd changed after the load (what a stray DMA would do).
        #expect(try run(corrupt: false) { _, ib in ib[70_000] ^= 0x80 } == 1)
    }

    /// The streaming update on ranges of every alignment: one buffer cut at random places
    /// into up to 12 ranges (some empty, some shorter than a block) hashes, range after
    /// range, to the SHA-256 of the whole buffer; a changed byte anywhere is refused.
    @Test func verifyStreamsRangesOfAnyLength() throws {
        let m = try MappedPurgatoryRoutines()
        var rng = SplitMix64(seed: 0x5354_5245_414d)
        for round in 0..<40 {
            var data = Self.random(Int.random(in: 0..<5000, using: &rng), &rng)
            var cuts = (0..<Int.random(in: 0...11, using: &rng)).map { _ in Int.random(in: 0...data.count, using: &rng) }
            cuts = [0] + cuts.sorted() + [data.count]
            let digest = sha256(data)
            func verify() -> UInt {
                // SAFETY: `data` stays alive and unmoved while the table names its ranges.
                data.withUnsafeBytes { d in
                    let base = UInt64(UInt(bitPattern: d.baseAddress ?? UnsafeRawPointer(bitPattern: 0x1000)!))
                    let checks = zip(cuts, cuts.dropFirst()).map { PurgatoryDigests.Check(address: base + UInt64($0), length: UInt64($1 - $0)) }
                    guard var code = try? Purgatory.build(.init(loadAddress: 0x10_0000, bootParams: 0, kernelEntry: 0, backup: nil, checks: checks)).bytes else { return 2 }
                    PurgatoryDigests.fill(&code, digest: digest, corrupt: false)
                    return code.withUnsafeBytes { c in m.verify(c.baseAddress! + Purgatory.digestTableOffset) }
                }
            }
            #expect(verify() == 0, "round \(round): \(data.count) bytes cut at \(cuts)")
            if !data.isEmpty {
                data[Int.random(in: 0..<data.count, using: &rng)] ^= 0x01
                #expect(verify() == 1, "round \(round): changed byte")
            }
        }
    }
}
