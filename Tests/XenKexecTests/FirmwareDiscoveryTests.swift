import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

/// Firmware and ACPI RSDP discovery against fake sysfs trees (a scratch directory with
/// `kernel/boot_params/data` and `firmware/efi/systab`).
@Suite struct FirmwareDiscoveryTests {
    /// A scratch sysfs root; files written on demand.
    final class FakeSysfs {
        let dir = ScratchDirectory()
        var root: FilePath { dir.path }
        deinit { dir.cleanup() }

        func bootParams(rsdp: UInt64 = 0, signature: String? = nil) {
            var b = [UInt8](repeating: 0, count: 4096)
            for i in 0..<8 { b[0x70 + i] = UInt8(truncatingIfNeeded: rsdp >> (8 * UInt64(i))) }
            if let s = signature { for (i, c) in s.utf8.prefix(4).enumerated() { b[0x1C0 + i] = c } }
            mkdir("kernel/boot_params")
            dir.file("kernel/boot_params/data", b)
        }

        func systab(_ text: String) {
            mkdir("firmware/efi")
            dir.file("firmware/efi/systab", Array(text.utf8), mode: [.ownerRead])
        }

        func mkdir(_ relative: String) {
            try! SystemCalls.makeDirectory(root.appending(relative), permissions: [.ownerReadWriteExecute])
        }

        /// The machine memory `/dev/mem` would show: a sparse file, `writes` at their offsets.
        var memoryDevice: FilePath { root.appending("mem") }
        func memory(_ writes: [(UInt64, [UInt8])]) {
            let fd = try! FileDescriptor.open(memoryDevice, .writeOnly, options: [.create], permissions: [.ownerReadWrite])
            defer { try? fd.close() }
            for (at, bytes) in writes { _ = try! fd.writeAll(toAbsoluteOffset: Int64(at), bytes) }
        }

        /// dom0 found ACPI: `/sys/firmware/acpi/tables` lists tables.
        func acpiTables() {
            mkdir("firmware/acpi/tables")
            dir.file("firmware/acpi/tables/DSDT", [0x44], mode: [.ownerRead])
        }

        func discover(_ explicit: ExplicitAcpiRsdp? = nil) -> FirmwareFacts {
            FirmwareDiscovery(sysfsRoot: root, explicit: explicit, memoryDevice: memoryDevice).discover()
        }
    }

    @Test func emptyTreeIsUnknownWithoutRsdp() async {
        let f = FakeSysfs().discover()
        #expect(f.firmware == .unknown)
        #expect(f.acpiRsdp == nil && f.acpiRsdpSource == nil)
        #expect(f.notes.contains { $0.contains("boot_params/data: cannot read") })
        #expect(f.notes.contains { $0.contains("systab: cannot read") })
    }

    /// A SeaBIOS PV dom0: boot_params readable, acpi_rsdp_addr 0, no /sys/firmware/efi.
    @Test func biosDom0WithZeroFieldHasNoRsdp() async {
        let s = FakeSysfs()
        s.bootParams()
        let f = s.discover()
        #expect(f.firmware == .bios)
        #expect(f.acpiRsdp == nil)
        #expect(f.notes.contains { $0.contains("acpi_rsdp_addr (0x70) is 0") })
    }

    @Test func bootParamsFieldIsTheFirstSource() async {
        let s = FakeSysfs()
        s.bootParams(rsdp: 0xf_59d0)
        s.systab("ACPI20=0x7f77d014\nACPI=0x7f77d000\n")
        let f = s.discover()
        #expect(f.firmware == .uefi)
        #expect(f.acpiRsdp == 0xf_59d0 && f.acpiRsdpSource == .bootParams)
    }

    /// A UEFI PV dom0 as Xen sets it up: EFI from Xen ("Xen" loader signature, /sys/firmware/efi),
    /// boot_params acpi_rsdp_addr 0, the RSDP in the EFI system table.
    @Test func uefiDom0TakesACPI20ThenACPI() async {
        let s = FakeSysfs()
        s.bootParams(signature: "Xen")
        s.systab("MPS=0x0\nACPI=0x7f77d000\nACPI20=0x7f77d014\nSMBIOS=0x7f9c0000\n")
        let f = s.discover()
        #expect(f.firmware == .uefi)
        #expect(f.firmwareEvidence.contains("firmware/efi exists"))
        #expect(f.acpiRsdp == 0x7f77_d014 && f.acpiRsdpSource == .efiSystabACPI20)

        let t = FakeSysfs()
        t.bootParams(signature: "Xen")
        t.systab("ACPI=0x7f77d000\n")
        #expect(t.discover().acpiRsdp == 0x7f77_d000)
        #expect(t.discover().acpiRsdpSource == .efiSystabACPI)
    }

    @Test func loaderSignatureAloneMeansUEFI() async {
        for sig in ["Xen", "EL64", "EL32"] {
            let s = FakeSysfs()
            s.bootParams(signature: sig)
            let f = s.discover()
            #expect(f.firmware == .uefi, "\(sig)")
            #expect(f.firmwareEvidence.contains(sig))
            #expect(f.acpiRsdp == nil)
        }
    }

    @Test func explicitAddressReplacesDiscoveryAndSaysSo() async {
        let s = FakeSysfs()
        s.bootParams(signature: "Xen")
        s.systab("ACPI20=0x7f77d014\n")
        let f = s.discover(ExplicitAcpiRsdp(address: 0x7f77_e014, source: .option))
        #expect(f.acpiRsdp == 0x7f77_e014 && f.acpiRsdpSource == .option)
        #expect(f.notes.contains { $0.contains("--acpi-rsdp 0x7f77e014 replaces 0x7f77d014") })
        let empty = FakeSysfs().discover(ExplicitAcpiRsdp(address: 0xf_59d0, source: .defaultsFile))
        #expect(empty.acpiRsdp == 0xf_59d0 && empty.acpiRsdpSource == .defaultsFile)
    }

    @Test func systabParsing() async {
        #expect(FirmwareDiscovery.acpiRsdpAddress(systab: "ACPI20=0x0\nACPI=0xe0000\n")! == (0xe_0000, .efiSystabACPI))
        #expect(FirmwareDiscovery.acpiRsdpAddress(systab: "SMBIOS=0x1000\n") == nil)
        #expect(FirmwareDiscovery.acpiRsdpAddress(systab: "ACPI20=garbage\n") == nil)
        #expect(FirmwareDiscovery.acpiRsdpAddress(bootParams: [UInt8](repeating: 0, count: 0x77)) == nil)
    }

    /// An ACPI 2.0 RSDP with valid checksums (``AcpiRsdpTableTests``' builder, kept local).
    static func rsdp() -> [UInt8] {
        var b = Array("RSD PTR ".utf8) + [0] + Array("BOCHS ".utf8) + [2, 0xe8, 0x10, 0x7e, 0x7f]
        b += [36, 0, 0, 0, 0xe8, 0x20, 0x7e, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0]
        b[8] = 0 &- b[0..<20].reduce(0, &+)
        b[32] = 0 &- b[0..<36].reduce(0, &+)
        return b
    }

    /// SeaBIOS: no EFI, acpi_rsdp_addr 0, the RSDP in 0xe0000-0xfffff where the crash kernel
    /// finds it by itself: `bios`, said why, no warning.
    @Test func biosWithAnRsdpInTheBIOSAreaIsBIOS() async {
        let s = FakeSysfs()
        s.bootParams()
        s.acpiTables()
        s.memory([(0x40E, [0xC0, 0x9F]), (0xF_5A10, Self.rsdp())])
        let f = s.discover()
        #expect(f.firmware == .bios)
        #expect(f.firmwareEvidence.contains("ACPI RSDP is at 0xf5a10 in the BIOS area"))
        #expect(f.warnings.isEmpty)
        #expect(f.acpiRsdp == nil)
    }

    /// A UEFI host whose Xen gives dom0 no EFI information: dom0 has ACPI tables, but no RSDP
    /// lies where a BIOS keeps it, so the crash kernel would find none: `uefi`, and the
    /// planner refuses the missing RSDP (``AcpiRsdpCheck``).
    @Test func acpiTablesWithoutABIOSAreaRsdpMeanUEFI() async {
        let s = FakeSysfs()
        s.bootParams()
        s.acpiTables()
        s.memory([(0x40E, [0xC0, 0x9F]), (0xF_FFF0, [0])])
        let f = s.discover()
        #expect(f.firmware == .uefi)
        #expect(f.firmwareEvidence.contains("Xen gave dom0 no EFI information, but dom0 has ACPI tables"))
        #expect(f.acpiRsdp == nil)
    }

    @Test func noAcpiAnywhereIsBIOSWithAWarning() async {
        let s = FakeSysfs()
        s.bootParams()
        s.memory([(0xF_FFF0, [0])])
        let f = s.discover()
        #expect(f.firmware == .bios)
        #expect(f.warnings == ["dom0 runs without ACPI (no \(s.root)/firmware/acpi/tables, no ACPI RSDP in the BIOS area), and so will the crash kernel"])
    }

    /// Lockdown forbids /dev/mem: nothing can tell where the RSDP is, so the tool warns.
    @Test func unreadableMemoryWarnsWithTheOverride() async {
        let s = FakeSysfs()
        s.bootParams()
        s.acpiTables()
        let f = s.discover()
        #expect(f.firmware == .bios)
        #expect(f.warnings.count == 1)
        #expect(f.warnings.first?.contains("cannot be read") == true)
        #expect(f.warnings.first?.contains("--acpi-rsdp") == true)
    }

    /// A discovered (or given) address: the 36 bytes there are read for the planner's check;
    /// when they cannot be, a note says the contents are not checked.
    @Test func theRsdpBytesAreReadAtTheAddress() async {
        let s = FakeSysfs()
        s.bootParams(signature: "Xen")
        s.systab("ACPI20=0x7f77d014\n")
        let unread = s.discover()
        #expect(unread.acpiRsdpBytes == nil)
        #expect(unread.notes.contains { $0.contains("cannot read the RSDP at 0x7f77d014") })
        s.memory([(0x7f77_d014, Self.rsdp())])
        #expect(s.discover().acpiRsdpBytes == Self.rsdp())
    }
}
