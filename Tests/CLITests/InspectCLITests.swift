import Foundation
import Testing

/// Runs the built `xen-kexec-load inspect` on real and malformed files and checks exit
/// codes, JSON and that each diagnostic names the field and its offset.
@Suite struct InspectCLITests {
    static let cache = ProcessInfo.processInfo.environment["XEN_KEXEC_CACHE"] ?? "/var/cache/xen-kexec"
    static let signedKernel = "\(cache)/pkg/linux-image-6.1.0-56-amd64/boot/vmlinuz-6.1.0-56-amd64"
    static let i686Kernel = "\(cache)/pkg/linux-image-6.1.0-50-686/boot/vmlinuz-6.1.0-50-686"

    @Test func signedKernelJSONReportsExactHeaderValues() throws {
        try InspectRun.requireKernel(Self.signedKernel)
        let run = try InspectRun.run(["inspect", "--json", Self.signedKernel])
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(doc["schemaVersion"] as? Int == 1)
        let results = try #require(doc["results"] as? [[String: Any]])
        #expect(results.count == 1)
        let r = results[0]
        #expect(r["status"] as? String == "loadable")
        #expect(r["format"] as? String == "bzImage")
        let h = try #require(r["setupHeader"] as? [String: Any])
        #expect(h["setup_sects"] as? Int == 39)
        #expect(h["version"] as? String == "0x020f")
        #expect(h["kernel_alignment"] as? String == "0x200000")
        #expect(h["init_size"] as? String == "0x3f98000")
        #expect(h["xloadflags"] as? String == "0x7f")
        let s = try #require(r["signature"] as? [String: Any])
        #expect(s["signed"] as? Bool == true)
        #expect(s["certificateTableOffset"] as? String == "0x7dd200")
        #expect(s["certificateTableSize"] as? String == "0x5c0")
        #expect(s["certificateType"] as? String == "0x2")
        let load = try #require(r["loadability"] as? [String: Any])
        #expect((load["xenCrashEFI"] as? [String: Any])?["loadable"] as? Bool == true)
        // Sorted keys: stable output.
        #expect(run.stdout.range(of: "\"results\"")!.lowerBound < run.stdout.range(of: "\"schemaVersion\"")!.lowerBound)
    }

    @Test func signedKernelHumanOutput() throws {
        try InspectRun.requireKernel(Self.signedKernel)
        let run = try InspectRun.run(["inspect", Self.signedKernel])
        #expect(run.status == 0)
        #expect(run.stdout.contains("signed: certificate table at 0x7dd200, 0x5c0 bytes"))
        #expect(run.stdout.contains("XLF_KERNEL_64"))
        #expect(run.stdout.contains("2.15 (version 0x020f)"))
    }

    @Test func i686KernelIsNotLoadable() throws {
        try InspectRun.requireKernel(Self.i686Kernel)
        let run = try InspectRun.run(["inspect", Self.i686Kernel])
        #expect(run.status == 65)
        #expect(run.stderr.contains("XLF_KERNEL_64"))
        #expect(run.stderr.contains("field xloadflags at offset 0x236"))
    }

    @Test(arguments: InspectFixture.malformed)
    func malformedFileExits65NamingFieldAndOffset(fixture: InspectFixture) throws {
        let path = try InspectRun.write(fixture.bytes, name: fixture.name)
        for args in [["inspect", path], ["inspect", "--json", path]] {
            let run = try InspectRun.run(args)
            #expect(run.status == 65, "\(fixture.name): \(run.stderr)")
            #expect(run.stderr.contains("field \(fixture.field) at offset \(fixture.offset)"), "\(fixture.name): \(run.stderr)")
        }
        let json = try InspectRun.run(["inspect", "--json", path])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let r = try #require((doc["results"] as? [[String: Any]])?.first)
        if r["status"] as? String == "unloadable" {
            let load = try #require(r["loadability"] as? [String: Any])
            let problems = try #require((load["classic64"] as? [String: Any])?["problems"] as? [[String: Any]])
            #expect(problems.contains { $0["field"] as? String == fixture.field && $0["offset"] as? String == fixture.offset })
        } else {
            #expect(r["status"] as? String == "malformed")
            let e = try #require(r["error"] as? [String: Any])
            #expect(e["field"] as? String == fixture.field && e["offset"] as? String == fixture.offset)
        }
    }

    @Test func missingFileExits66() throws {
        let run = try InspectRun.run(["inspect", "/nonexistent/vmlinuz-none"])
        #expect(run.status == 66)
        #expect(run.stderr.contains("/nonexistent/vmlinuz-none"))
    }

    @Test func directoryExits66() throws {
        let run = try InspectRun.run(["inspect", NSTemporaryDirectory()])
        #expect(run.status == 66)
    }

    @Test func severalFilesOneResultEach() throws {
        let good = try InspectRun.write(InspectFixture.loadable, name: "good.bzImage")
        let bad = try InspectRun.write(InspectFixture.malformed[0].bytes, name: "bad.bzImage")
        let run = try InspectRun.run(["inspect", "--json", good, bad, "/nonexistent/x"])
        #expect(run.status == 66)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let results = try #require(doc["results"] as? [[String: Any]])
        #expect(results.map { $0["status"] as? String } == ["loadable", "malformed", "missing"])
        #expect(results.map { $0["file"] as? String } == [good, bad, "/nonexistent/x"])
        let two = try InspectRun.run(["inspect", good, bad])
        #expect(two.status == 65)
        let one = try InspectRun.run(["inspect", good])
        #expect(one.status == 0)
    }

    @Test func envelopeReportsKernelRangeAndCommandLine() throws {
        let path = try InspectRun.write(InspectFixture.envelope(kernel: InspectFixture.loadable, cmdline: "console=ttyS0 quiet"), name: "env.elf")
        let run = try InspectRun.run(["inspect", "--json", path])
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let r = try #require((doc["results"] as? [[String: Any]])?.first)
        #expect(r["format"] as? String == "elfEnvelope")
        #expect(r["embeddedCommandLine"] as? String == "console=ttyS0 quiet")
        let kernel = try #require(r["kernel"] as? [String: Any])
        // ELF header + 4 section headers (null, .kernel, .cmdline, .shstrtab) = 0x140.
        #expect(kernel["offset"] as? String == "0x140" && kernel["size"] as? String == "0x2000")
        #expect((r["signature"] as? [String: Any])?["state"] as? String == "no-pe-header")
        let human = try InspectRun.run(["inspect", path])
        #expect(human.stdout.contains("command line:         \"console=ttyS0 quiet\""))
    }
}
