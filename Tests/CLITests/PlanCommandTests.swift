import Foundation
import Testing

/// Runs the built `xen-kexec-load plan` (the binary next to the test bundle).
func runPlan(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let r = try BackendBinaryTests.run(["plan"] + args)
    return (r.status, r.stdout, r.stderr)
}

let planKernel = "/var/cache/xen-kexec/pkg/linux-image-6.1.0-56-amd64/boot/vmlinuz-6.1.0-56-amd64"

@Test func planEmitWritesTheFileUnchangedAsSegmentZero() throws {
    guard FileManager.default.fileExists(atPath: planKernel) else {
        Issue.record("missing \(planKernel): run tools/fetch-debian.sh linux-image-6.1.0-56-amd64")
        return
    }
    let dir = NSTemporaryDirectory() + "plan-emit-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try runPlan([planKernel, "--efi", "--crash-region", "256M@1G", "--emit", dir, "--append", "console=ttyS0"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("kernel"))
    #expect(r.stdout.contains("digest "))
    let seg0 = FileManager.default.contents(atPath: dir + "/segment-00-kernel.bin")
    #expect(seg0 == FileManager.default.contents(atPath: planKernel))
    let json = try #require(FileManager.default.contents(atPath: dir + "/plan.json"))
    let obj = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    #expect(obj["schemaVersion"] as? Int == 1)
    #expect(obj["type"] as? String == "crash-efi")
    let segs = try #require(obj["segments"] as? [[String: Any]])
    #expect((segs.first?["dest"] as? String)?.hasPrefix("0x") == true)
}

@Test func impossiblePlanExits65WithTheXenOption() throws {
    guard FileManager.default.fileExists(atPath: planKernel) else {
        Issue.record("missing \(planKernel): run tools/fetch-debian.sh linux-image-6.1.0-56-amd64")
        return
    }
    let r = try runPlan([planKernel, "--efi", "--crash-region", "64M@1G"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("crashkernel="))
    let j = try runPlan([planKernel, "--crash-region", "64M@1G", "--json"])
    #expect(j.status == 65)
    #expect(j.stdout.contains("\"error\""))
}

@Test func missingKernelExits66() throws {
    let r = try runPlan(["/nonexistent/vmlinuz", "--crash-region", "256M@1G"])
    #expect(r.status == 66)
}
