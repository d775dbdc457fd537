import SystemPackage

/// What `provision` reads from the running system (``Dom0/provisionFacts(xenCommandLine:)``).
public struct ProvisionFacts: Equatable, Sendable {
    /// `/proc/sys/kernel/osrelease` (`uname -r`).
    public var kernelRelease: String
    /// dom0's `/proc/cmdline`.
    public var dom0CommandLine: String
    /// Xen's command line (`XENVER_commandline`).
    public var xenCommandLine: String?
    /// dom0's selected lockdown mode (`none`, `integrity`, `confidentiality`), if readable.
    public var lockdownMode: String?
    /// The firmware's SecureBoot variable, if readable.
    public var secureBoot: Bool?

    public init(kernelRelease: String, dom0CommandLine: String, xenCommandLine: String?, lockdownMode: String?, secureBoot: Bool?) {
        self.kernelRelease = kernelRelease
        self.dom0CommandLine = dom0CommandLine
        self.xenCommandLine = xenCommandLine
        self.lockdownMode = lockdownMode
        self.secureBoot = secureBoot
    }
}
