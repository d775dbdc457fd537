import KexecPlan
import SystemPackage
import Testing
import XenKexec
@testable import xen_kexec_load

/// Every typed error → one line that says what to do, and one exit code from the table.
@Suite struct DiagnosisTests {
    static let region = AddressRange(start: 0x4000_0000, size: 0x1000_0000)
    static let path = FilePath("/boot/vmlinuz")

    /// (error, exit code, words the message must contain)
    static let table: [(KexecError, ToolExit, [String])] = [
        (.hostUnavailable(.notXen), .unavailable, ["not a Xen dom0", "run xen-kexec-load in dom0"]),
        (.hostUnavailable(.xenfsNotMounted), .unavailable, ["xenfs", "mount -t xenfs xenfs /proc/xen"]),
        (.hostUnavailable(.notDom0(capabilities: "")), .unavailable, ["not a Xen dom0", "control_d"]),
        (.hostUnavailable(.noPrivcmd), .unavailable, ["/dev/xen/privcmd", "modprobe xen-privcmd"]),
        (.hostUnavailable(.notRoot(uid: 1000)), .noPermission, ["root", "uid 1000"]),
        (.interfaceOpenFailed(.permissionDenied), .noPermission, ["libxenctrl", "root"]),
        (.interfaceOpenFailed(.noSuchFileOrDirectory), .unavailable, ["libxenctrl"]),
        (.noCrashRegion, .config, ["crashkernel=", "Xen's command line, not dom0's"]),
        (.plan(.noCrashRegion), .config, ["crashkernel="]),
        (.plan(.acpiRsdp(.missingOnUEFI)), .config, ["UEFI", "no ACPI RSDP", "--acpi-rsdp", "XEN_KEXEC_ACPI_RSDP", "xl dmesg"]),
        (.plan(.acpiRsdp(.inRAM(address: 0x2000_0000, source: .bootParams, range: MemoryRange(start: 0x10_0000, size: 0x7fee_0000, type: .ram)))), .config,
         ["0x20000000", "boot_params", "0x100000-0x7ffdffff ram", "--acpi-rsdp"]),
        (.segmentOutsideCrashRegion(region: region), .dataError, ["EADDRNOTAVAIL", "256 MiB crash region 0x40000000-0x4fffffff"]),
        (.segmentOutsideCrashRegion(region: nil), .dataError, ["EADDRNOTAVAIL", "the crash region"]),
        (.efiLoadTypeUnsupported, .unavailable, ["this Xen does not implement the EFI load type; load without --efi or update Xen"]),
        (.loadRejected(type: 1, errno: .invalidArgument), .dataError, ["EINVAL", "crash load"]),
        (.busy(.load), .tempFail, ["EBUSY", "try again"]),
        (.busy(.unload), .tempFail, ["EBUSY", "unload"]),
        (.outOfMemory(region: region), .osError, ["ENOMEM", "256 MiB crash region", "crashkernel="]),
        (.notPermitted(.load), .noPermission, ["EPERM"]),
        (.nothingLoaded(type: 0), .notLoaded, ["no default image is loaded", "xen-kexec-load load"]),
        (.kexecUnsupported(.load), .unavailable, ["does not support kexec"]),
        (.hypercallFailed(HypercallFailure(.load, type: 1, errno: .badAddress)), .osError, ["load failed", "EFAULT"]),
        (.payloadAllocationFailed(bytes: 4096, errno: .noMemory), .osError, ["4096 bytes", "hypercall memory"]),
        (.execReturned(type: 1), .osError, ["returned from exec"]),
        (.plan(.refusedByXen(XenRuleViolation(hypervisor: .xen417, rule: .segmentsOverlap, segmentIndex: 2, detail: "segment 2 overlaps segment 1"))), .dataError,
         ["xen-4.17", "segmentsOverlap", "EINVAL", "segment 2 overlaps segment 1"]),
        (.plan(.crashRegionTooSmall(region: region, needed: 0x2000_0000, detail: "the initrd does not fit")), .dataError, ["too small", "crashkernel="]),
        (.planSegmentWithoutInitrd(segment: 1, role: .initrd), .dataError, ["segment 1", "planner bug"]),
        (.planSegmentOutsideFile(segment: 0, role: .kernel, range: 0..<8192, fileBytes: 4096), .dataError, ["segment 0", "4096-byte file"]),
        (.fileUnavailable(path, .noSuchFileOrDirectory), .noInput, ["/boot/vmlinuz"]),
        (.untrustedFile(path, .notRegularFile), .noPermission, ["not a regular file"]),
        (.untrustedFile(path, .writableByOthers(mode: 0o666)), .noPermission, ["0666", "chmod go-w /boot/vmlinuz"]),
        (.untrustedFile(path, .notOwnedByRoot(uid: 1000)), .noPermission, ["uid 1000", "chown root /boot/vmlinuz"]),
        (.fileChanged(path), .tempFail, ["changed while", "try again"]),
        (.fileHashChanged(path, recorded: "aa", now: "bb"), .dataError, ["changed since it was loaded"]),
        (.lockTimeout("/run/lock/xen-kexec-load.lock", seconds: 60), .tempFail, ["another xen-kexec-load", "60 s"]),
        (.lockFailed("/run/lock/x", .permissionDenied), .noPermission, ["cannot lock"]),
        (.lockFailed("/run/lock/x", .readOnlyFileSystem), .osError, ["cannot lock"]),
        (.lockUntrusted("/run/xen-kexec-load/lock", .notOwnedByRoot(uid: 1000)), .noPermission, ["owned by uid 1000", "another user could hold it", "rm -rf"]),
        (.recordUnwritable("/run/xen-kexec-load/crash.record", .readOnlyFileSystem), .osError, ["status"]),
        (.reloadRefused(cause: .busy(.load), restore: .restored(digest: "ab12")), .tempFail, ["EBUSY", "previous crash kernel (digest ab12) was re-armed"]),
        (.reloadRefused(cause: .busy(.load), restore: .skipped), .tempFail, ["restore was skipped (test fault injection)", "damaged"]),
        (.reloadRefused(cause: .outOfMemory(region: region), restore: .nothingToRestore(disarmed: true)), .osError, ["NO CRASH KERNEL IS ARMED"]),
        (.reloadRefused(cause: .busy(.load), restore: .nothingToRestore(disarmed: false)), .tempFail, ["could not be unloaded", "xen-kexec-load unload"]),
        (.reloadRefused(cause: .busy(.load), restore: .failed(reason: .fileHashChanged(path, recorded: "a", now: "b"), disarmed: true)), .tempFail,
         ["NO CRASH KERNEL IS ARMED", "changed since it was loaded"]),
        (.reloadRefused(cause: .busy(.load), restore: .failed(reason: .busy(.unload), disarmed: false)), .tempFail, ["may hold a damaged image"]),
        (.secureBootRefused(SecureBootRefusal(kernel: "/boot/k", reason: .signature("unsigned: no Authenticode signature", kind: "unsigned"), because: "dom0 is locked down (integrity)")),
         .secureBootRefused, ["Secure Boot policy", "/boot/k", "locked down", "unsigned", "sbsign", "--allow-unverified-kernel", "Nothing was sent"]),
        (.secureBootRefused(SecureBootRefusal(kernel: "/boot/k", reason: .signature("tampered: …", kind: "tampered"), because: "--require-signature")),
         .secureBootRefused, ["tampered", "reinstall the kernel package"]),
        (.secureBootRefused(SecureBootRefusal(kernel: "/boot/k", reason: .signature("signed by …", kind: "untrusted"), because: "--require-signature")),
         .secureBootRefused, ["mokutil --import", "--trust-cert"]),
        (.secureBootRefused(SecureBootRefusal(kernel: "/boot/k", reason: .signature("revoked: dbx lists …", kind: "revoked"), because: "--require-signature")),
         .secureBootRefused, ["revoked", "no option overrides a revocation"]),
        (.secureBootRefused(SecureBootRefusal(kernel: "/boot/k", reason: .classicTypeUnverifiable(typeName: "crash (KEXEC_TYPE_CRASH)"), because: "dom0 is locked down (integrity)")),
         .secureBootRefused, ["would arm an unverified kernel", "--efi", "--allow-unverified-kernel", "XEN_KEXEC_ALLOW_UNVERIFIED=yes"]),
    ]

    @Test func everyErrorHasOneActionableLineAndAnExitCode() {
        for (error, exit, words) in Self.table {
            let d = Diagnosis(error)
            #expect(d.exit == exit, "\(error)")
            #expect(!d.message.contains("\n"), "\(error) spans lines")
            #expect(!d.kind.isEmpty)
            for w in words { #expect(d.message.contains(w), "\(error): \(d.message) lacks \"\(w)\"") }
        }
    }

    @Test func exitCodesAreTheDocumentedOnes() {
        #expect(ToolExit.allCases.map(\.rawValue) == [0, 1, 3, 4, 64, 65, 66, 69, 71, 75, 77, 78, 80])
    }
}

@Suite struct StatusReportTests {
    static let record = ArmedImageRecord(
        type: .crashEFI, digest: String(repeating: "c", count: 64),
        kernel: .init(path: "/boot/vmlinuz"), initrd: nil,
        commandLineRequest: CommandLineRequest(), commandLine: "console=ttyS0", segmentCount: 5,
        loadedAt: 0, xenStatusBit: true, bootID: nil)

    @Test func exitCodes() {
        #expect(StatusReport(.armed(Self.record), slot: "crash").exit == .success)
        #expect(StatusReport(.notLoaded(xenBit: true), slot: "crash").exit == .notLoaded)
        #expect(StatusReport(.disagree(Self.record, xenBit: false), slot: "crash").exit == .statusUnknown)
        #expect(StatusReport(.possiblyDamaged(Self.record), slot: "crash").exit == .statusUnknown)
        #expect(StatusReport(.recordUnreadable(reason: "x", xenBit: false), slot: "crash").exit == .statusUnknown)
    }

    @Test func wordsSayWhatIsArmedAndWhenTheyDisagree() {
        let armed = StatusReport(.armed(Self.record), slot: "crash").text
        #expect(armed.hasPrefix("armed: crash-efi image /boot/vmlinuz"))
        #expect(armed.contains(Self.record.digest))
        #expect(armed.contains("1970-01-01T00:00:00Z"))
        let disagree = StatusReport(.disagree(Self.record, xenBit: false), slot: "crash").text
        #expect(disagree.contains("loaded or unloaded since") && disagree.contains("load it again"))
        let none = StatusReport(.notLoaded(xenBit: true), slot: "crash").text
        #expect(none.hasPrefix("not loaded") && none.contains("only counts loads and unloads"))
        let damaged = StatusReport(.possiblyDamaged(Self.record), slot: "crash").text
        #expect(damaged.contains("a refused reload that was not restored") && damaged.contains("unload and load again"))
    }

    @Test func jsonDocument() {
        let json = BackendJSON.encode(StatusReport(.armed(Self.record), slot: "crash").document)
        #expect(json.contains("\"armed\" : true"))
        #expect(json.contains("\"state\" : \"armed\""))
        #expect(json.contains("\"digest\" : \"\(Self.record.digest)\""))
    }
}

@Suite struct LogFormatTests {
    @Test func journalPrefixes() {
        #expect(StderrLogHandler.format(level: .error, message: "x", journal: true) == "<3>x\n")
        #expect(StderrLogHandler.format(level: .critical, message: "x", journal: true) == "<2>x\n")
        #expect(StderrLogHandler.format(level: .warning, message: "x", journal: true) == "<4>x\n")
        #expect(StderrLogHandler.format(level: .notice, message: "x", journal: true) == "<5>x\n")
        #expect(StderrLogHandler.format(level: .info, message: "x", journal: true) == "<6>x\n")
        #expect(StderrLogHandler.format(level: .debug, message: "x", journal: true) == "<7>x\n")
    }

    @Test func consoleForm() {
        #expect(StderrLogHandler.format(level: .notice, message: "loaded", journal: false) == "xen-kexec-load: loaded\n")
        #expect(StderrLogHandler.format(level: .warning, message: "w", journal: false) == "xen-kexec-load: warning: w\n")
        #expect(StderrLogHandler.format(level: .error, message: "a\nb", journal: false) == "xen-kexec-load: error: a b\n")
    }

    @Test func verbosity() {
        #expect(CLILogging.level(verbosity: -1) == .critical)
        #expect(CLILogging.level(verbosity: 0) == .notice)
        #expect(CLILogging.level(verbosity: 1) == .info)
        #expect(CLILogging.level(verbosity: 2) == .debug)
    }
}
