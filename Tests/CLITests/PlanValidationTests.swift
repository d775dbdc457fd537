import Foundation
import Testing

/// `plan` refuses inputs no real Xen host can produce, and plans an unaligned crash region
/// the way Xen uses it (whole pages inside `crashkernel=SIZE@OFFSET` as written), with
/// `--crash-region` and with the `--host` JSON alike. docs/planner.md, "Inputs no host can have".
@Suite struct PlanValidationTests {
    /// A host description like `range --json` writes, with `crashRegion` and optional extras.
    static func hostJSON(region: (String, UInt64), ramEnd: String = "0x80000000", extra: String = "") -> String {
        """
        {"schemaVersion": 1, "crashRegion": {"start": "\(region.0)", "size": \(region.1)},
         "memoryMap": [{"start": "0x0", "size": 654336, "type": 1},
                       {"start": "0x100000", "size": \(UInt64(ramEnd.dropFirst(2), radix: 16)! - 0x10_0000), "type": 1}],
         "cpuNotes": []\(extra)}
        """
    }

    static func withHostFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "plan-host-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    /// The segments' [dest, dest + destSize) of `plan --json` output, buffer-less [0, 1 MiB) left out.
    static func segmentRanges(_ stdout: String) throws -> [(UInt64, UInt64)] {
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let segs = try #require(obj["segments"] as? [[String: Any]])
        return try segs.compactMap { s in
            let dest = try #require(UInt64((s["dest"] as? String ?? "").dropFirst(2), radix: 16))
            let size = try #require((s["destSize"] as? NSNumber)?.uint64Value)
            return dest == 0 ? nil : (dest, dest + size)
        }
    }

    /// The crash kernel's e820 RAM entries above 1 MiB in `plan --json` output.
    static func ramAbove1MiB(_ stdout: String) throws -> [(UInt64, UInt64)] {
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let e820 = try #require(obj["e820"] as? [[String: Any]])
        return try e820.compactMap { m in
            guard (m["type"] as? NSNumber)?.intValue == 1 else { return nil }
            let start = try #require(UInt64((m["start"] as? String ?? "").dropFirst(2), radix: 16))
            let size = try #require((m["size"] as? NSNumber)?.uint64Value)
            return start < 0x10_0000 ? nil : (start, start + size)
        }
    }

    func requireKernel() -> Bool {
        if FileManager.default.fileExists(atPath: planKernel) { return true }
        Issue.record("missing \(planKernel): run tools/fetch-debian.sh linux-image-6.1.0-56-amd64")
        return false
    }

    @Test(arguments: [
        // base not page-aligned: Xen reports [1 GiB + 1, 1.25 GiB + 1); whole pages [1 GiB + 4 KiB, 1.25 GiB)
        ("256M@1073741825", UInt64(0x4000_1000), UInt64(0x5000_0000)),
        // size not a page multiple: Xen reports [1 GiB, 1.25 GiB + 1); whole pages [1 GiB, 1.25 GiB)
        ("268435457@1G", UInt64(0x4000_0000), UInt64(0x5000_0000)),
    ])
    func unalignedCrashRegionIsPlannedOnItsWholePages(region: String, low: UInt64, high: UInt64) throws {
        guard requireKernel() else { return }
        for efi in [false, true] {
            let r = try runPlan([planKernel, "--crash-region", region, "--json"] + (efi ? ["--efi"] : []))
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("is not page-aligned; Xen loads segments only on whole pages inside it, so the plan uses [\(String(format: "0x%llx", low)), \(String(format: "0x%llx", high)))"), "\(r.stderr)")
            for (s, e) in try Self.segmentRanges(r.stdout) {
                #expect(s >= low && e <= high, "segment [\(s), \(e)) outside [\(low), \(high))")
            }
            // The crash kernel's RAM above 1 MiB is whole pages of the region only.
            for (s, e) in try Self.ramAbove1MiB(r.stdout) {
                #expect(s >= low && e <= high && s % 4096 == 0 && e % 4096 == 0, "crash kernel RAM [\(s), \(e))")
            }
        }
        // The same region given by a host description.
        let parts = region.split(separator: "@")
        let start = parts[1] == "1G" ? "0x40000000" : "0x40000001"
        let size: UInt64 = parts[0] == "256M" ? 0x1000_0000 : 268_435_457
        let h = try Self.withHostFile(Self.hostJSON(region: (start, size))) { try runPlan([planKernel, "--host", $0, "--json"]) }
        #expect(h.status == 0, "\(h.stderr)")
        #expect(h.stderr.contains("so the plan uses [\(String(format: "0x%llx", low)), \(String(format: "0x%llx", high)))"))
        for (s, e) in try Self.segmentRanges(h.stdout) { #expect(s >= low && e <= high) }
    }

    @Test func alignedCrashRegionHasNoNote() throws {
        guard requireKernel() else { return }
        let r = try runPlan([planKernel, "--crash-region", "256M@1G", "--json"])
        #expect(r.status == 0)
        #expect(!r.stderr.contains("not page-aligned"))
    }

    @Test func crashRegionBeyond52BitsExits65() throws {
        guard requireKernel() else { return }
        let r = try runPlan([planKernel, "--crash-region", "256M@0x10000000000000"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("the crash region [0x10000000000000, 0x10000010000000) lies beyond the host's 52-bit physical address width"), "\(r.stderr)")
        // Ending exactly at 2^52 is a possible host.
        let top = try runPlan([planKernel, "--crash-region", "256M@0xffffff0000000"])
        #expect(top.status == 0, "\(top.stderr)")
        let h = try Self.withHostFile(Self.hostJSON(region: ("0x10000000000000", 0x1000_0000))) { try runPlan([planKernel, "--host", $0]) }
        #expect(h.status == 65)
        #expect(h.stderr.contains("52-bit physical address width"))
    }

    @Test func hostJSONWidthIsTheHostsOwn() throws {
        guard requireKernel() else { return }
        // 39 bits: memory ends at 512 GiB; a crash region at 1 TiB is beyond it.
        let beyond = Self.hostJSON(region: ("0x10000000000", 0x1000_0000), extra: #", "physicalAddressBits": 39"#)
        let r = try Self.withHostFile(beyond) { try runPlan([planKernel, "--host", $0, "--json"]) }
        #expect(r.status == 65)
        #expect(r.stdout.contains("39-bit physical address width"), "\(r.stdout)")
        // A memory map entry beyond the width is refused too.
        let ram = Self.hostJSON(region: ("0x40000000", 0x1000_0000), ramEnd: "0x10000000000", extra: #", "physicalAddressBits": 39"#)
        let m = try Self.withHostFile(ram) { try runPlan([planKernel, "--host", $0]) }
        #expect(m.status == 65)
        #expect(m.stderr.contains("the memory map entry [0x100000, 0x10000000000) lies beyond the host's 39-bit"), "\(m.stderr)")
        let bad = Self.hostJSON(region: ("0x40000000", 0x1000_0000), extra: #", "physicalAddressBits": 57"#)
        let w = try Self.withHostFile(bad) { try runPlan([planKernel, "--host", $0]) }
        #expect(w.status == 65)
        #expect(w.stderr.contains("physicalAddressBits is 57; an x86-64 host has 32 to 52"), "\(w.stderr)")
        let fine = Self.hostJSON(region: ("0x40000000", 0x1000_0000), extra: #", "physicalAddressBits": 39"#)
        let f = try Self.withHostFile(fine) { try runPlan([planKernel, "--host", $0]) }
        #expect(f.status == 0, "\(f.stderr)")
    }

    @Test func emptyInitrdExits65() throws {
        guard requireKernel() else { return }
        let path = NSTemporaryDirectory() + "empty-initrd-\(getpid())"
        FileManager.default.createFile(atPath: path, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: path) }
        for extra in [["--crash-region", "256M@1G"], ["--crash-region", "256M@1G", "--efi"]] {
            let r = try runPlan([planKernel, "--initrd", path] + extra)
            #expect(r.status == 65)
            #expect(r.stderr.contains("the initrd is empty (0 bytes)"), "\(r.stderr)")
        }
        let h = try Self.withHostFile(Self.hostJSON(region: ("0x40000000", 0x1000_0000))) {
            try runPlan([planKernel, "--host", $0, "--initrd", path])
        }
        #expect(h.status == 65)
        #expect(h.stderr.contains("the initrd is empty"))
    }
}
