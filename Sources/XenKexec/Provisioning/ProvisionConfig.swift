import KexecPlan

/// What `xen-kexec-load provision` loads, read from `/etc/default/xen-kexec-load`.
///
/// | key | meaning | default |
/// |---|---|---|
/// | `XEN_KEXEC_ENABLED` | `yes`/`no` (also true/false/1/0) | `yes` |
/// | `XEN_KEXEC_KERNEL` | crash kernel | the running kernel, `/boot/vmlinuz-$(uname -r)` |
/// | `XEN_KEXEC_INITRD` | its initrd (`none` for no initrd) | `/boot/initrd.img-$(uname -r)` |
/// | `XEN_KEXEC_TYPE` | `auto`, `efi` or `crash` | `auto` |
/// | `XEN_KEXEC_CMDLINE` | base command line | dom0's `/proc/cmdline` |
/// | `XEN_KEXEC_CMDLINE_APPEND` | words added last | empty |
/// | `XEN_KEXEC_CRASH_DEFAULTS` | crash defaults | `nr_cpus=1 irqpoll reset_devices panic=10` |
/// | `XEN_KEXEC_REQUIRE_SIGNATURE` | `yes`: verify the kernel's signature even without lockdown | `no` |
/// | `XEN_KEXEC_TRUST_CERTS` | certificate files (PEM/DER) trusted besides db and MokListRT, space-separated | none |
/// | `XEN_KEXEC_ALLOW_UNVERIFIED` | `yes`: under the signature policy, arm an unverified kernel anyway | `no` |
/// | `XEN_KEXEC_CRASH_LOCKDOWN` | under the signature policy, the crash kernel's `lockdown=`: `integrity` or `confidentiality` | dom0's mode, else `integrity` |
/// | `XEN_KEXEC_ACPI_RSDP` | the host's ACPI RSDP (`0x…`), replacing what dom0 reports | found from dom0 |
/// | `XEN_KEXEC_KDUMP_TOOLS` | `yes`: use `/etc/default/kdump-tools` when present (``KdumpToolsDefaults``); `no`: ignore it | `yes` |
/// | `XEN_KEXEC_DUMP_GUESTS` | `yes`: kdump-tools' dump keeps the guests' memory (the package's `kdump-args` reads it in the crash kernel; docs/dumps.md) | `no` |
///
/// With kdump-tools' file in use (present, `USE_KDUMP=1`, `XEN_KEXEC_KDUMP_TOOLS=yes`), a
/// `XEN_KEXEC_*` setting that is set wins over kdump-tools' (``ProvisionSelection``).
public struct ProvisionConfig: Equatable, Sendable {
    public enum TypeChoice: String, Sendable, CaseIterable {
        case auto, efi, crash
    }

    public var enabled: Bool
    public var kernel: String?
    /// nil: the default initrd; `.some(nil)`: explicitly none.
    public var initrd: String??
    public var type: TypeChoice
    public var commandLine: String?
    public var commandLineAppend: String?
    public var crashDefaults: [String]
    /// `XEN_KEXEC_REQUIRE_SIGNATURE`.
    public var requireSignature: Bool = false
    /// `XEN_KEXEC_TRUST_CERTS`, split on blanks.
    public var trustCertificates: [String] = []
    /// `XEN_KEXEC_ALLOW_UNVERIFIED`.
    public var allowUnverified: Bool = false
    /// `XEN_KEXEC_CRASH_LOCKDOWN`.
    public var crashLockdown: LockdownLevel? = nil
    /// `XEN_KEXEC_ACPI_RSDP`: an explicit ACPI RSDP machine address.
    public var acpiRsdp: UInt64?
    /// `XEN_KEXEC_KDUMP_TOOLS`: read `/etc/default/kdump-tools` when present.
    public var useKdumpTools: Bool = true
    /// `XEN_KEXEC_DUMP_GUESTS`: the dump keeps the guests' memory. The crash kernel's
    /// `/usr/lib/xen-kexec-load/kdump-args` acts on it; `provision` only validates it.
    public var dumpGuests: Bool = false

    public static let knownKeys: Set<String> = [
        "XEN_KEXEC_ENABLED", "XEN_KEXEC_KERNEL", "XEN_KEXEC_INITRD", "XEN_KEXEC_TYPE",
        "XEN_KEXEC_CMDLINE", "XEN_KEXEC_CMDLINE_APPEND", "XEN_KEXEC_CRASH_DEFAULTS",
        "XEN_KEXEC_REQUIRE_SIGNATURE", "XEN_KEXEC_TRUST_CERTS", "XEN_KEXEC_ALLOW_UNVERIFIED",
        "XEN_KEXEC_ACPI_RSDP", "XEN_KEXEC_KDUMP_TOOLS", "XEN_KEXEC_CRASH_LOCKDOWN",
        "XEN_KEXEC_DUMP_GUESTS",
    ]

    /// A yes/no key (also true/false/1/0/on/off), or `fallback` when absent.
    static func flag(_ file: DefaultsFile, _ key: String, default fallback: Bool) throws(ProvisionConfigError) -> Bool {
        guard let v = file[key] else { return fallback }
        switch v.lowercased() {
        case "yes", "true", "1", "on": return true
        case "no", "false", "0", "off": return false
        default: throw .badValue(key: key, value: v, expected: "yes or no")
        }
    }

    public static func from(_ file: DefaultsFile) throws(ProvisionConfigError) -> ProvisionConfig {
        for e in file.entries where !knownKeys.contains(e.key) {
            throw .unknownKey(e.key, line: e.line)
        }
        func nonEmpty(_ k: String) -> String? { file[k].flatMap { $0.isEmpty ? nil : $0 } }
        var enabled = true
        if let v = file["XEN_KEXEC_ENABLED"] {
            switch v.lowercased() {
            case "yes", "true", "1", "on": enabled = true
            case "no", "false", "0", "off": enabled = false
            default: throw .badValue(key: "XEN_KEXEC_ENABLED", value: v, expected: "yes or no")
            }
        }
        var type = TypeChoice.auto
        if let v = nonEmpty("XEN_KEXEC_TYPE") {
            guard let t = TypeChoice(rawValue: v) else {
                throw .badValue(key: "XEN_KEXEC_TYPE", value: v, expected: "auto, efi or crash")
            }
            type = t
        }
        var initrd: String?? = nil
        if let v = nonEmpty("XEN_KEXEC_INITRD") { initrd = v == "none" ? .some(nil) : .some(v) }
        let defaults = file["XEN_KEXEC_CRASH_DEFAULTS"].map(KernelCommandLineWords.split) ?? CrashCommandLine.defaultAdditions
        var rsdp: UInt64?
        if let v = nonEmpty("XEN_KEXEC_ACPI_RSDP") {
            guard let a = parseHex(v), a != 0 else {
                throw .badValue(key: "XEN_KEXEC_ACPI_RSDP", value: v, expected: "a machine address such as 0x7f77d014")
            }
            rsdp = a
        }
        var crashLockdown: LockdownLevel?
        if let v = nonEmpty("XEN_KEXEC_CRASH_LOCKDOWN") {
            guard let level = LockdownLevel(rawValue: v) else {
                throw .badValue(key: "XEN_KEXEC_CRASH_LOCKDOWN", value: v, expected: "integrity or confidentiality")
            }
            crashLockdown = level
        }
        var config = ProvisionConfig(
            enabled: enabled, kernel: nonEmpty("XEN_KEXEC_KERNEL"), initrd: initrd, type: type,
            commandLine: nonEmpty("XEN_KEXEC_CMDLINE"), commandLineAppend: nonEmpty("XEN_KEXEC_CMDLINE_APPEND"),
            crashDefaults: defaults,
            requireSignature: try flag(file, "XEN_KEXEC_REQUIRE_SIGNATURE", default: false),
            trustCertificates: file["XEN_KEXEC_TRUST_CERTS"].map(KernelCommandLineWords.split) ?? [],
            allowUnverified: try flag(file, "XEN_KEXEC_ALLOW_UNVERIFIED", default: false),
            acpiRsdp: rsdp,
            useKdumpTools: try flag(file, "XEN_KEXEC_KDUMP_TOOLS", default: true))
        config.crashLockdown = crashLockdown
        config.dumpGuests = try flag(file, "XEN_KEXEC_DUMP_GUESTS", default: false)
        return config
    }

    /// Every setting at its default, as for an absent or empty defaults file.
    public static let standard = ProvisionConfig(
        enabled: true, kernel: nil, initrd: nil, type: .auto, commandLine: nil, commandLineAppend: nil,
        crashDefaults: CrashCommandLine.defaultAdditions)

    /// The load type for `auto`: KEXEC_TYPE_CRASH_EFI when dom0 is locked down or Secure Boot
    /// is on (as XenServer's loader decides), the classic KEXEC_TYPE_CRASH otherwise.
    ///
    /// - Parameters:
    ///   - lockdownMode: dom0's selected lockdown mode (``Dom0/provisionFacts(xenCommandLine:)``), if readable.
    ///   - secureBoot: whether the firmware reports Secure Boot enabled, if known.
    public func resolvedType(lockdownMode: String?, secureBoot: Bool?) -> LoadType {
        switch type {
        case .efi: return .crashEFI
        case .crash: return .crash
        case .auto:
            if secureBoot == true { return .crashEFI }
            if let mode = lockdownMode, mode != "none" { return .crashEFI }
            return .crash
        }
    }
}

public enum ProvisionConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownKey(String, line: Int)
    case badValue(key: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .unknownKey(let k, let l): "line \(l): unknown setting \(k) (known: \(ProvisionConfig.knownKeys.sorted().joined(separator: ", ")))"
        case .badValue(let k, let v, let e): "\(k)=\(v): expected \(e)"
        }
    }
}
