import Foundation
import Testing

/// A real Unified Kernel Image, built the way bookworm users build one without ukify:
/// Debian's systemd-stub (`linuxx64.efi.stub` of the pinned `systemd-boot-efi`) with
/// `.osrel`, `.cmdline`, `.linux` (the pinned signed kernel) and `.initrd` added by objcopy,
/// plus `.e2e-long-name`, which objcopy writes as `/N` into the stub's COFF string table.
/// `inspect` must read every section by its real name, and the plans must take the
/// kernel, command line and initrd from the UKI, byte for byte.
@Suite struct RealUKITests {
    static let stub = "\(InspectCLITests.cache)/pkg/systemd-boot-efi/usr/lib/systemd/boot/efi/linuxx64.efi.stub"
    static let marker = "console=ttyS0 e2e_image=uki-test"

    /// Builds the UKI in a fresh folder; returns (folder, uki path, initrd bytes).
    static func build() throws -> (dir: String, uki: String, initrd: Data) {
        try InspectRun.requireKernel(InspectCLITests.signedKernel)
        try InspectRun.requireKernel(stub)
        let dir = NSTemporaryDirectory() + "real-uki-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let initrd = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        try initrd.write(to: URL(fileURLWithPath: dir + "/initrd"))
        try Data(marker.utf8).write(to: URL(fileURLWithPath: dir + "/cmdline"))
        try Data("ID=debian\n".utf8).write(to: URL(fileURLWithPath: dir + "/osrel"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/objcopy")
        p.arguments = [
            "--long-section-names", "enable",
            "--add-section", ".osrel=\(dir)/osrel", "--change-section-vma", ".osrel=0x20000",
            "--add-section", ".cmdline=\(dir)/cmdline", "--change-section-vma", ".cmdline=0x30000",
            "--add-section", ".e2e-long-name=\(dir)/osrel", "--change-section-vma", ".e2e-long-name=0x40000",
            "--add-section", ".linux=\(InspectCLITests.signedKernel)", "--change-section-vma", ".linux=0x2000000",
            "--add-section", ".initrd=\(dir)/initrd", "--change-section-vma", ".initrd=0x3000000",
            stub, dir + "/crash.uki",
        ]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "objcopy failed (binutils is installed by tools/install-deps.sh)")
        return (dir, dir + "/crash.uki", initrd)
    }

    @Test func inspectReadsEverySectionByItsRealName() throws {
        let (dir, uki, initrd) = try Self.build()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try InspectRun.run(["inspect", "--json", uki])
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let r = try #require((doc["results"] as? [[String: Any]])?.first)
        #expect(r["format"] as? String == "uki")
        #expect(r["embeddedCommandLine"] as? String == Self.marker, "\(r.keys)")
        let sections = try #require((r["uki"] as? [String: Any])?["sections"] as? [String])
        #expect(sections == [".text", ".reloc", ".data", ".dynamic", ".rela", ".dynsym", ".sbat", ".sdmagic",
                             ".osrel", ".cmdline", ".e2e-long-name", ".linux", ".initrd"])
        let rd = try #require(r["initrd"] as? [String: Any])
        #expect(rd["size"] as? String == "0x" + String(initrd.count, radix: 16), "\(rd)")
    }

    @Test(arguments: [["--efi"], ["--type", "crash"]])
    func planTakesKernelCommandLineAndInitrdFromTheUKI(type: [String]) throws {
        let (dir, uki, initrd) = try Self.build()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/plan"
        let r = try runPlan([uki, "--crash-region", "256M@1G", "--emit", out] + type)
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        let kernel = try #require(FileManager.default.contents(atPath: InspectCLITests.signedKernel))
        let seg0 = try #require(files.first { $0.hasSuffix("-kernel.bin") }.flatMap { FileManager.default.contents(atPath: out + "/" + $0) })
        if type == ["--efi"] {
            #expect(seg0 == kernel, "segment 0 of a crash-efi load is the UKI's .linux, byte for byte")
        } else {
            #expect(kernel.suffix(seg0.count) == seg0, "the classic kernel segment is the tail of .linux (its protected-mode part)")
        }
        let rd = try #require(files.first { $0.hasSuffix("-initrd.bin") }.flatMap { FileManager.default.contents(atPath: out + "/" + $0) })
        #expect(rd == initrd)
        let plan = try #require(FileManager.default.contents(atPath: out + "/plan.json"))
        let obj = try #require(try JSONSerialization.jsonObject(with: plan) as? [String: Any])
        #expect((obj["commandLine"] as? String)?.hasPrefix(Self.marker + " elfcorehdr=") == true, "\(obj["commandLine"] ?? "")")
    }
}
