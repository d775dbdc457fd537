import Foundation
import Testing
@testable import KexecPurgatory
import KexecTestSupport

/// Runs the purgatory's generated SHA-256 and digest-check code natively (the tests run on
/// x86-64): the bytes `PurgatoryDigests.routines()` assembles are copied into an anonymous
/// mapping, made executable and called with the System V convention they implement. Only
/// the unprivileged routines are called; the entry (cli, lgdt, port I/O) never runs here.
/// The raw-pointer work of the test suite is fenced in this file.
typealias SHA256Routine = @convention(c) (UnsafeRawPointer?, Int, UnsafeMutableRawPointer?) -> Void
typealias VerifyRoutine = @convention(c) (UnsafeRawPointer?) -> UInt

/// The routines mapped executable; unmapped on deinit.
final class MappedPurgatoryRoutines {
    let base: UnsafeMutableRawPointer
    let size: Int
    let sha256: SHA256Routine
    let verify: VerifyRoutine

    init() throws {
        let r = PurgatoryDigests.routines()
        let size = (r.code.count + 4095) & ~4095
        // SAFETY: a fresh private anonymous mapping of `size` bytes, written only below
        // `r.code.count`, then turned read+execute before any call; nothing else aliases it.
        guard !r.code.isEmpty, let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            throw POSIXError(.ENOMEM)
        }
        r.code.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        guard mprotect(p, size, PROT_READ | PROT_EXEC) == 0 else {
            munmap(p, size)
            throw POSIXError(.EACCES)
        }
        base = p
        self.size = size
        // SAFETY: the offsets are the routines' entry labels in the bytes just mapped, and
        // the routines follow the C calling convention of these function types
        // (PurgatorySHA256, PurgatoryDigests.emitVerify).
        sha256 = unsafeBitCast(p + r.sha256, to: SHA256Routine.self)
        verify = unsafeBitCast(p + r.verify, to: VerifyRoutine.self)
    }

    deinit { munmap(base, size) }

    /// The generated routine's digest of `data`.
    func digest(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        // SAFETY: `data` is readable for data.count bytes and `out` writable for 32 for the
        // duration of the call; the routine touches nothing else but its own stack.
        data.withUnsafeBytes { d in out.withUnsafeMutableBytes { o in sha256(d.baseAddress, d.count, o.baseAddress) } }
        return out
    }
}

@Suite(.serialized) struct PurgatoryExecutionTests {
    static func random(_ n: Int, _ rng: inout SplitMix64) -> [UInt8] {
        (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    @Test func sha256MatchesSwiftCryptoOnEveryPaddingCase() throws {
        let m = try MappedPurgatoryRoutines()
        var rng = SplitMix64(seed: 0x5348_4132_3536)
        var lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 111, 119, 120, 127, 128, 129, 1000, 4096, 100_003, (1 << 20) + 17]
        lengths += (0..<64).map { _ in Int.random(in: 0..<600, using: &rng) }
        for n in lengths {
            let data = Self.random(n, &rng)
            #expect(m.digest(data) == sha256(data), "length \(n)")
        }
    }

    @Test func sha256OfKnownVectors() throws {
        let m = try MappedPurgatoryRoutines()
        // FIPS 180-4 examples (NIST CSRC SHA256.pdf): "abc" and the empty string.
        #expect(sha256Hex(digest: m.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256Hex(digest: m.digest([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
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
