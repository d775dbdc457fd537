import Foundation
import Testing

/// `plan --json --segment-digests` of the pinned bookworm kernel and a fixed 1 MiB initrd, for
/// each load type, byte for byte against `Tests/Fixtures/golden/plan-TYPE.json`: addresses,
/// sizes, command line and every segment's SHA-256 (the purgatory's bytes included), so a
/// change of what the planner or the purgatory emits shows up as a diff of these files.
/// `XEN_KEXEC_WRITE_GOLDEN=1 swift test --filter PlanGoldenTests` rewrites them (review the
/// diff before committing it).
@Suite struct PlanGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    /// 1 MiB + 17 bytes of a fixed sequence (not all one value, not a whole number of blocks).
    static func initrd() -> [UInt8] {
        var x: UInt32 = 0x1234_5678
        return (0..<((1 << 20) + 17)).map { _ in
            x = x &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: x >> 24)
        }
    }

    @Test(arguments: ["crash", "default", "efi"])
    func planJSONIsTheGoldenFile(_ type: String) throws {
        guard FileManager.default.fileExists(atPath: planKernel) else {
            Issue.record("missing \(planKernel): run tools/fetch-debian.sh linux-image-6.1.0-56-amd64")
            return
        }
        let dir = BackendBinaryTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let initrd = dir + "/initrd.img"
        #expect(FileManager.default.createFile(atPath: initrd, contents: Data(Self.initrd())))
        let r = try runPlan(
            [planKernel, "--initrd", initrd, "--crash-region", "256M@1G", "--command-line", "console=ttyS0,115200 nr_cpus=1",
             "--segment-digests", "--json"] + (type == "efi" ? ["--efi"] : ["--type", type]))
        #expect(r.status == 0, "\(r.stderr)")
        let out = r.stdout.replacingOccurrences(of: initrd, with: "INITRD").replacingOccurrences(of: planKernel, with: "KERNEL")
        let file = Self.golden.appendingPathComponent("plan-\(type).json")
        if ProcessInfo.processInfo.environment["XEN_KEXEC_WRITE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try Data(out.utf8).write(to: file)
        }
        guard let expected = FileManager.default.contents(atPath: file.path) else {
            Issue.record("missing \(file.path): XEN_KEXEC_WRITE_GOLDEN=1 writes it")
            return
        }
        #expect(out == String(decoding: expected, as: UTF8.self), "plan --json --type \(type) differs from \(file.lastPathComponent)")
    }
}
