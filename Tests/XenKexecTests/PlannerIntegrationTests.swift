import KexecImage
import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

/// The loader with the real planner and XenRules (``StandardPlanner``, as the CLI uses it) against
/// the recording fake: what reaches `xc_kexec_load` is exactly the plan, hashed in place.
@Suite struct PlannerIntegrationTests {
    /// A minimal loadable x86-64 bzImage: 4 KiB of setup, 4 KiB of "kernel".
    static func bzImage() -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 0x2000)
        func put(_ off: Int, _ v: UInt64, _ n: Int) { for i in 0..<n { b[off + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) } }
        put(0x1F1, 7, 1)              // setup_sects: kern16 = 4 KiB
        put(0x1F4, 0x1000 / 16, 4)    // syssize
        put(0x1FE, 0xAA55, 2)
        put(0x200, 0x6AEB, 2)
        put(0x202, 0x5372_6448, 4)    // "HdrS"
        put(0x206, 0x020F, 2)
        put(0x211, 0x01, 1)           // LOADED_HIGH
        put(0x214, 0x10_0000, 4)
        put(0x22C, 0x7FFF_FFFF, 4)
        put(0x230, 0x20_0000, 4)      // kernel_alignment 2 MiB
        put(0x234, 1, 1)              // relocatable
        put(0x235, 21, 1)
        put(0x236, 0x13, 2)           // KERNEL_64 | CAN_BE_LOADED_ABOVE_4G | EFI_KEXEC
        put(0x238, 0x7FF, 4)
        put(0x258, 0x100_0000, 8)
        put(0x260, 0x40_0000, 4)      // init_size 4 MiB
        return b
    }

    func harness() -> (LoaderHarness, CrashKernelLoader, FilePath) {
        let h = LoaderHarness()
        let kernel = h.dir.file("bzImage", Self.bzImage())
        let loader = CrashKernelLoader(
            hypervisor: h.hv, store: h.store,
            trust: FileTrustPolicy(allowedOwners: [SystemCalls.effectiveUserID]), firmware: h.firmware, gate: h.gate, logger: h.logs.logger)
        return (h, loader, kernel)
    }

    @Test(arguments: [LoadType.crash, .crashEFI])
    func whatXenReceivesIsThePlan(_ type: LoadType) async throws {
        let (h, loader, kernel) = harness()
        let outcome = try await loader.load(LoadInvocation(
            kernel: kernel, initrd: h.initrd,
            request: PlanRequest(type: type, commandLine: CommandLineRequest(replacement: "console=ttyS0 nr_cpus=1"), segmentDigests: true)))
        let sent = try #require(h.hv.loads.first)
        #expect(sent.type == type.rawValue && sent.arch == 62 && sent.entry == outcome.plan.entryMaddr)
        #expect(sent.segments.count == outcome.plan.segments.count)
        for (s, p) in zip(sent.segments, outcome.plan.segments) {
            #expect(s.dest == p.dest && s.destSize == p.destSize && s.bufSize == p.bufSize)
            #expect(s.sha256 == p.sha256.map { hexDigits($0) }, "\(p.role)")
        }
        #expect(outcome.record.digest.count == 64 && outcome.record.digest == hexDigits(outcome.plan.digest))
        #expect(h.messages(.notice).contains("loaded \(type.name) image: \(outcome.plan.segments.count) segments, digest \(outcome.record.digest)"))
        // Only the buffers the plan generated were allocated besides the two files.
        let generated = outcome.plan.segments.filter { if case .generated = $0.source { true } else { false } }.count
        #expect(h.hv.events.filter { if case .allocate = $0 { true } else { false } }.count == 2 + generated)
    }

    @Test func aReloadRefusedByXenReArmsTheRealPlan() async throws {
        let (h, loader, kernel) = harness()
        let inv = LoadInvocation(kernel: kernel, initrd: h.initrd, request: PlanRequest(type: .crash, commandLine: CommandLineRequest(replacement: "console=ttyS0")))
        let first = try await loader.load(inv)
        h.hv.fail(.load, with: .invalidArgument)
        var late = inv
        late.preflight = .skip(arch: 183)
        await #expect(throws: KexecError.reloadRefused(cause: .loadRejected(type: 1, errno: .invalidArgument), restore: .restored(digest: first.record.digest))) {
            try await loader.load(late)
        }
        #expect(h.hv.slots[1] == h.hv.loads[0])
    }

    /// dom0's sysfs as a UEFI PV dom0 shows it: the "Xen" EFI loader signature, /sys/firmware/efi,
    /// boot_params acpi_rsdp_addr 0 and the RSDP in the EFI system table (inside the fake's
    /// reserved range 0x7ffe0000-0x7fffffff).
    static func uefiSysfs(_ h: LoaderHarness, systab: String?) {
        var bp = [UInt8](repeating: 0, count: 4096)
        for (i, c) in "Xen".utf8.enumerated() { bp[0x1C0 + i] = c }
        try! SystemCalls.makeDirectory(h.dir.path.appending("sys/kernel/boot_params"), permissions: [.ownerReadWriteExecute])
        try! SystemCalls.makeDirectory(h.dir.path.appending("sys/firmware/efi"), permissions: [.ownerReadWriteExecute])
        h.dir.file("sys/kernel/boot_params/data", bp)
        if let t = systab { h.dir.file("sys/firmware/efi/systab", Array(t.utf8), mode: [.ownerRead]) }
    }

    @Test(arguments: [LoadType.default, .crash, .crashEFI])
    func aUEFIHostsRsdpReachesBootParamsAndTheCrashCommandLine(_ type: LoadType) async throws {
        let (h, loader, kernel) = harness()
        Self.uefiSysfs(h, systab: "ACPI20=0x7ffe0014\nACPI=0x7ffe0000\n")
        let outcome = try await loader.load(LoadInvocation(
            kernel: kernel, initrd: h.initrd,
            request: PlanRequest(type: type, commandLine: CommandLineRequest(replacement: "console=ttyS0"), segmentDigests: true)))
        let params = try #require(outcome.plan.segments.first { $0.role == .bootParams })
        guard case .generated(let bytes) = params.source else { Issue.record("boot_params not generated"); return }
        let field = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[0x70 + $1]) << (8 * UInt64($1)) }
        #expect(field == 0x7ffe_0014)
        #expect(outcome.plan.commandLine.hasSuffix(" acpi_rsdp=0x7ffe0014") == type.isCrash)
        // Exactly those bytes went to Xen.
        let sent = try #require(h.hv.loads.first)
        let index = try #require(outcome.plan.segments.firstIndex { $0.role == .bootParams })
        #expect(sent.segments[index].sha256 == params.sha256.map { hexDigits($0) })
        #expect(h.messages(.info).contains { $0.contains("firmware uefi") && $0.contains("ACPI RSDP 0x7ffe0014") })
    }

    @Test(arguments: [LoadType.default, .crash, .crashEFI])
    func aUEFIHostWithoutRsdpLoadsNothing(_ type: LoadType) async throws {
        let (h, loader, kernel) = harness()
        Self.uefiSysfs(h, systab: "SMBIOS=0x7f9c0000\n")
        await #expect(throws: KexecError.plan(.acpiRsdp(.missingOnUEFI))) {
            try await loader.load(LoadInvocation(kernel: kernel, initrd: h.initrd, request: PlanRequest(type: type)))
        }
        #expect(h.hv.loads.isEmpty)
        #expect(!h.hv.events.contains { if case .unload = $0 { true } else { false } })
    }

    @Test func anRsdpInRAMLoadsNothing() async throws {
        let (h, loader, kernel) = harness()
        Self.uefiSysfs(h, systab: "ACPI20=0x20000000\n")
        let ram = h.hv.memoryMap[1]
        await #expect(throws: KexecError.plan(.acpiRsdp(.inRAM(address: 0x2000_0000, source: .efiSystabACPI20, range: ram)))) {
            try await loader.load(LoadInvocation(kernel: kernel, initrd: h.initrd, request: PlanRequest(type: .crash)))
        }
        #expect(h.hv.loads.isEmpty)
    }
}
