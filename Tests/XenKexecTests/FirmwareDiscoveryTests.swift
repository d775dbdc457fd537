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

        func discover(_ explicit: ExplicitAcpiRsdp? = nil) -> FirmwareFacts {
            FirmwareDiscovery(sysfsRoot: root, explicit: explicit).discover()
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
}
