import Foundation
import Testing

/// Runs the built `xen-kexec-load plan` (the binary next to the test bundle).
func runPlan(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let r = try BackendBinaryTests.run(["plan"] + args)
    return (r.status, r.stdout, r.stderr)
}

/// The signed Debian bookworm kernel under `$XEN_KEXEC_CACHE` (default /var/cache/xen-kexec).
let planKernel = (ProcessInfo.processInfo.environment["XEN_KEXEC_CACHE"] ?? "/var/cache/xen-kexec")
    + "/pkg/linux-image-6.1.0-56-amd64/boot/vmlinuz-6.1.0-56-amd64"

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

/// `plan --acpi-rsdp/--firmware` offline, and a host file carrying them.
@Suite struct PlanAcpiRsdpCLITests {
    static func requireKernel() -> Bool {
        if FileManager.default.fileExists(atPath: planKernel) { return true }
        Issue.record("missing \(planKernel): run tools/fetch-debian.sh linux-image-6.1.0-56-amd64")
        return false
    }

    @Test func uefiWithoutRsdpExits78NamingTheOverride() throws {
        guard Self.requireKernel() else { return }
        let r = try runPlan([planKernel, "--efi", "--crash-region", "256M@1G", "--firmware", "uefi"])
        #expect(r.status == 78)
        #expect(r.stderr.contains("--acpi-rsdp") && r.stderr.contains("XEN_KEXEC_ACPI_RSDP"))
    }

    @Test func acpiRsdpOptionReachesTheCrashCommandLine() throws {
        guard Self.requireKernel() else { return }
        for args in [["--efi"], ["--type", "crash"]] {
            let r = try runPlan([planKernel, "--crash-region", "256M@1G", "--firmware", "uefi", "--acpi-rsdp", "0x7f77d014", "--json"] + args)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("acpi_rsdp=0x7f77d014"))
        }
    }

    @Test func hostFileFirmwareAndRsdpAreUsedAndCanBeReplaced() throws {
        guard Self.requireKernel() else { return }
        let dir = BackendBinaryTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let host = dir + "/host.json"
        let json = #"{"schemaVersion":1,"crashRegion":{"start":"0x40000000","size":268435456},"memoryMap":[{"start":"0x0","size":654336,"type":1},{"start":"0x100000","size":2136997888,"type":1},{"start":"0x7f700000","size":1048576,"type":3}],"cpuNotes":[],"firmware":"uefi","acpiRsdp":"0x7f77d014","acpiRsdpSource":"efi_systab_acpi20"}"#
        try json.write(toFile: host, atomically: true, encoding: .utf8)
        let r = try runPlan([planKernel, "--efi", "--host", host, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("acpi_rsdp=0x7f77d014"))
        let moved = try runPlan([planKernel, "--efi", "--host", host, "--acpi-rsdp", "0x7f700014", "--json"])
        #expect(moved.stdout.contains("acpi_rsdp=0x7f700014"))
        let inRAM = try runPlan([planKernel, "--efi", "--host", host, "--acpi-rsdp", "0x20000000"])
        #expect(inRAM.status == 78)
        #expect(inRAM.stderr.contains("0x20000000") && inRAM.stderr.contains("--acpi-rsdp"))
        // An older host file (no firmware field) plans as before.
        let old = dir + "/old.json"
        try json.replacingOccurrences(of: #","firmware":"uefi","acpiRsdp":"0x7f77d014","acpiRsdpSource":"efi_systab_acpi20""#, with: "")
            .write(toFile: old, atomically: true, encoding: .utf8)
        let o = try runPlan([planKernel, "--efi", "--host", old, "--json"])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(!o.stdout.contains("acpi_rsdp="))
    }
}
