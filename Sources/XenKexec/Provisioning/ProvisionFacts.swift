import SystemPackage

/// What `provision` reads from the running system.
public struct ProvisionFacts: Equatable, Sendable {
    /// `/proc/sys/kernel/osrelease` (`uname -r`).
    public var kernelRelease: String
    /// dom0's `/proc/cmdline`.
    public var dom0CommandLine: String
    /// Xen's command line (`XENVER_commandline`).
    public var xenCommandLine: String?
    /// `/sys/kernel/security/lockdown`.
    public var lockdown: String?
    /// The firmware's SecureBoot variable, if readable.
    public var secureBoot: Bool?

    public init(kernelRelease: String, dom0CommandLine: String, xenCommandLine: String?, lockdown: String?, secureBoot: Bool?) {
        self.kernelRelease = kernelRelease
        self.dom0CommandLine = dom0CommandLine
        self.xenCommandLine = xenCommandLine
        self.lockdown = lockdown
        self.secureBoot = secureBoot
    }

    static let secureBootVariable: FilePath = "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"

    public static func current(xenCommandLine: String?) -> ProvisionFacts {
        func text(_ p: FilePath) -> String? {
            (try? ProvisionConfigLoader.readText(p)).map { $0.split(whereSeparator: \.isNewline).first.map(String.init) ?? "" }
        }
        // efivarfs: 4 bytes of attributes, then the one-byte value.
        let sb = (try? ProvisionConfigLoader.readBytes(secureBootVariable, limit: 64)).flatMap { $0.count >= 5 ? $0[4] == 1 : nil }
        return ProvisionFacts(
            kernelRelease: text("/proc/sys/kernel/osrelease") ?? "", dom0CommandLine: (try? Dom0CommandLine.read()) ?? "",
            xenCommandLine: xenCommandLine, lockdown: text("/sys/kernel/security/lockdown"), secureBoot: sb)
    }
}
