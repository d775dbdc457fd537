import Testing
import KexecPlan
@testable import XenKexec

@Test func defaultsFileParsesShellStyle() throws {
    let text = """
        # xen-kexec-load defaults
        XEN_KEXEC_ENABLED=yes
        export XEN_KEXEC_KERNEL=/boot/vmlinuz-6.1.0-56-amd64   # the signed kernel
        XEN_KEXEC_INITRD='/boot/initrd.img-6.1.0-56-amd64'
        XEN_KEXEC_CMDLINE_APPEND="rdinit=/init \\"x\\" \\$HOME"

        XEN_KEXEC_TYPE=efi
        """
    let file = try DefaultsFile.parse(text)
    #expect(file["XEN_KEXEC_KERNEL"] == "/boot/vmlinuz-6.1.0-56-amd64")
    #expect(file["XEN_KEXEC_INITRD"] == "/boot/initrd.img-6.1.0-56-amd64")
    #expect(file["XEN_KEXEC_CMDLINE_APPEND"] == "rdinit=/init \"x\" $HOME")
    let config = try ProvisionConfig.from(file)
    #expect(config.enabled)
    #expect(config.type == .efi)
    #expect(config.initrd == .some("/boot/initrd.img-6.1.0-56-amd64"))
    #expect(config.crashDefaults == CrashCommandLine.defaultAdditions)
}

@Test(arguments: [
    ("XEN_KEXEC_KERNEL", DefaultsFileError.notAssignment(line: 1)),
    ("1KEY=x", .badKey("1KEY", line: 1)),
    ("\nA='unterminated", .unterminatedQuote(line: 2)),
    ("A=\"x\"y", .trailingText(line: 1)),
    ("A=$(reboot)", .expansion(line: 1)),
    ("A=\"$HOME\"", .expansion(line: 1)),
    ("A=two words", .trailingText(line: 1)),
])
func defaultsFileRefusals(text: String, error: DefaultsFileError) {
    #expect(throws: error) { try DefaultsFile.parse(text) }
}

@Test func configRefusesUnknownKeysAndBadValues() throws {
    #expect(throws: ProvisionConfigError.unknownKey("KDUMP_KERNEL", line: 1)) {
        try ProvisionConfig.from(try DefaultsFile.parse("KDUMP_KERNEL=/boot/x"))
    }
    #expect(throws: ProvisionConfigError.badValue(key: "XEN_KEXEC_TYPE", value: "fast", expected: "auto, efi or crash")) {
        try ProvisionConfig.from(try DefaultsFile.parse("XEN_KEXEC_TYPE=fast"))
    }
    let none = try ProvisionConfig.from(try DefaultsFile.parse("XEN_KEXEC_INITRD=none\nXEN_KEXEC_ENABLED=no"))
    #expect(none.initrd == .some(nil))
    #expect(!none.enabled)
}

@Test func dumpGuestsKeyIsAYesNoFlagDefaultingToNo() throws {
    #expect(try !ProvisionConfig.from(DefaultsFile.parse("")).dumpGuests)
    #expect(try ProvisionConfig.from(DefaultsFile.parse("XEN_KEXEC_DUMP_GUESTS=yes")).dumpGuests)
    #expect(try !ProvisionConfig.from(DefaultsFile.parse("XEN_KEXEC_DUMP_GUESTS=no")).dumpGuests)
    #expect(throws: ProvisionConfigError.badValue(key: "XEN_KEXEC_DUMP_GUESTS", value: "all", expected: "yes or no")) {
        try ProvisionConfig.from(DefaultsFile.parse("XEN_KEXEC_DUMP_GUESTS=all"))
    }
}

@Test func autoTypeFollowsLockdownAndSecureBoot() throws {
    let auto = try ProvisionConfig.from(DefaultsFile.parse(""))
    #expect(auto.resolvedType(lockdownMode: "none", secureBoot: false) == .crash)
    #expect(auto.resolvedType(lockdownMode: "integrity", secureBoot: nil) == .crashEFI)
    #expect(auto.resolvedType(lockdownMode: nil, secureBoot: true) == .crashEFI)
    #expect(auto.resolvedType(lockdownMode: nil, secureBoot: nil) == .crash)
    let crash = try ProvisionConfig.from(DefaultsFile.parse("XEN_KEXEC_TYPE=crash"))
    #expect(crash.resolvedType(lockdownMode: "integrity", secureBoot: true) == .crash)
}

@Test func signaturePolicyKeysParse() throws {
    let config = try ProvisionConfig.from(try DefaultsFile.parse("""
        XEN_KEXEC_REQUIRE_SIGNATURE=yes
        XEN_KEXEC_TRUST_CERTS="/etc/a.pem /etc/b.der"
        XEN_KEXEC_ALLOW_UNVERIFIED=no
        """))
    #expect(config.requireSignature)
    #expect(config.trustCertificates == ["/etc/a.pem", "/etc/b.der"])
    #expect(!config.allowUnverified)
    let defaults = try ProvisionConfig.from(try DefaultsFile.parse(""))
    #expect(!defaults.requireSignature && defaults.trustCertificates.isEmpty && !defaults.allowUnverified)
    #expect(try ProvisionConfig.from(try DefaultsFile.parse("XEN_KEXEC_ALLOW_UNVERIFIED=yes")).allowUnverified)
    #expect(throws: ProvisionConfigError.badValue(key: "XEN_KEXEC_ALLOW_UNVERIFIED", value: "maybe", expected: "yes or no")) {
        try ProvisionConfig.from(try DefaultsFile.parse("XEN_KEXEC_ALLOW_UNVERIFIED=maybe"))
    }
}

@Test func configReadsTheAcpiRsdpKey() throws {
    let c = try ProvisionConfig.from(try DefaultsFile.parse("XEN_KEXEC_ACPI_RSDP=0x7f77d014"))
    #expect(c.acpiRsdp == 0x7f77_d014)
    #expect(try ProvisionConfig.from(try DefaultsFile.parse("XEN_KEXEC_ACPI_RSDP=")).acpiRsdp == nil)
    #expect(try ProvisionConfig.from(try DefaultsFile.parse("")).acpiRsdp == nil)
    for bad in ["zz", "0", "0xg"] {
        #expect(throws: ProvisionConfigError.badValue(key: "XEN_KEXEC_ACPI_RSDP", value: bad, expected: "a machine address such as 0x7f77d014")) {
            try ProvisionConfig.from(try DefaultsFile.parse("XEN_KEXEC_ACPI_RSDP=\(bad)"))
        }
    }
}
