import KexecPlan
import SystemPackage

/// dom0's own files, under one root: `/` on dom0, a scratch tree in tests (and `--sysfs-root`
/// in debug builds). Every read of dom0's state goes through here, each when a command asks
/// for it:
///
/// | fact | files under the root | reader |
/// |---|---|---|
/// | Xen presence, dom0, privilege | `sys/hypervisor/type`, `proc/xen/capabilities`, `dev/xen/privcmd` | ``xenHost()`` |
/// | Secure Boot, lockdown, db/dbx/MokList | `sys/kernel/security/lockdown`, `sys/kernel/boot_params/data`, `sys/firmware/efi/efivars` | ``secureBoot`` |
/// | firmware, ACPI RSDP | `sys/kernel/boot_params/data`, `sys/firmware/efi/systab`, `dev/mem` | ``firmware(explicit:)`` |
/// | dom0's VMCOREINFO note | `sys/kernel/vmcoreinfo`, `sys/hypervisor/guest_type` | ``vmcoreInfo()`` |
/// | command line, kernel release, boot ID | `proc/cmdline`, `proc/sys/kernel/osrelease`, `proc/sys/kernel/random/boot_id` | ``commandLine()``, ``kernelRelease()``, ``bootID()`` |
public struct Dom0: Sendable, Equatable {
    public var root: FilePath

    public init(root: FilePath = "/") {
        self.root = root
    }

    /// The running dom0.
    public static let live = Dom0()

    /// dom0's sysfs.
    public var sysfs: FilePath { root.appending("sys") }
    /// Machine memory as dom0 reads it (`/dev/mem`).
    public var memoryDevice: FilePath { root.appending("dev/mem") }

    /// What tells whether this is a Xen dom0 this tool can use, read before libxenctrl is opened.
    public func xenHost() -> XenHostObservation {
        XenHostObservation.current(root: root)
    }

    /// Lockdown, Secure Boot and the signature databases.
    public var secureBoot: SecureBootSources {
        SecureBootSources(root: root)
    }

    /// The firmware and ACPI RSDP discovery, with `explicit` replacing what dom0 reports.
    public func firmware(explicit: ExplicitAcpiRsdp? = nil) -> FirmwareDiscovery {
        FirmwareDiscovery(sysfsRoot: sysfs, explicit: explicit, memoryDevice: memoryDevice)
    }

    /// dom0's VMCOREINFO note, or why there is none.
    public func vmcoreInfo() -> Dom0VmcoreInfoDiscovery.Result {
        Dom0VmcoreInfoDiscovery(sysfsRoot: sysfs).discover()
    }

    /// dom0's kernel command line, where `--reuse-cmdline` starts: the first line of
    /// `/proc/cmdline`, read until end of file (procfs reports a size of 0: Linux
    /// `fs/proc/cmdline.c`).
    public func commandLine() throws(KexecError) -> String {
        let file = root.appending("proc/cmdline")
        let bytes: [UInt8]
        do { bytes = try SystemCalls.readFile(file, limit: 1 << 16) } catch { throw .fileUnavailable(file, error) }
        return Self.firstLine(bytes) ?? ""
    }

    /// `/proc/sys/kernel/osrelease` (`uname -r`), empty when unreadable.
    public func kernelRelease() -> String {
        (try? SystemCalls.readFile(root.appending("proc/sys/kernel/osrelease"), limit: 4096)).flatMap(Self.firstLine) ?? ""
    }

    /// This boot's ID (`/proc/sys/kernel/random/boot_id`), nil when unreadable.
    public func bootID() -> String? {
        XenHostObservation.readSmallFile(root.appending("proc/sys/kernel/random/boot_id"))?.trimmingWhitespace()
    }

    /// What `provision` chooses by: the kernel release, the command line, and lockdown and
    /// the firmware's SecureBoot variable as ``SecureBootSources`` reads them.
    public func provisionFacts(xenCommandLine: String?) -> ProvisionFacts {
        let sources = secureBoot
        let secureBoot: Bool? = switch sources.readSecureBootVariable().answer {
        case .on: true
        case .off: false
        case .unknown: nil
        }
        return ProvisionFacts(
            kernelRelease: kernelRelease(), dom0CommandLine: (try? commandLine()) ?? "",
            xenCommandLine: xenCommandLine, lockdownMode: sources.readLockdown().1, secureBoot: secureBoot)
    }

    /// The text before the first newline.
    static func firstLine(_ bytes: [UInt8]) -> String? {
        String(decoding: bytes, as: UTF8.self)
            .split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
    }
}
