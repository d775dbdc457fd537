import SystemPackage

/// What dom0 detection looks at, collected before libxenctrl is touched (libxenctrl prints
/// its own errors to stderr when opened on a host that is not dom0).
public struct XenHostObservation: Equatable, Sendable {
    /// `/sys/hypervisor/type` reads `xen`.
    public var sysHypervisorIsXen: Bool
    /// `/proc/xen` exists (created by the kernel when it runs on Xen and xenfs is available).
    public var procXenExists: Bool
    /// Contents of `/proc/xen/capabilities`, `nil` when the file is absent (xenfs not mounted).
    public var capabilities: String?
    /// `/dev/xen/privcmd` exists.
    public var privcmdExists: Bool
    /// The effective user ID.
    public var effectiveUserID: UInt32

    public init(sysHypervisorIsXen: Bool, procXenExists: Bool, capabilities: String?, privcmdExists: Bool, effectiveUserID: UInt32) {
        self.sysHypervisorIsXen = sysHypervisorIsXen
        self.procXenExists = procXenExists
        self.capabilities = capabilities
        self.privcmdExists = privcmdExists
        self.effectiveUserID = effectiveUserID
    }

    /// Reads the observation from the running system. `root` prefixes every path (tests).
    public static func current(root: FilePath = "/") -> XenHostObservation {
        let hypervisorType = readSmallFile(root.appending("sys/hypervisor/type"))
        return XenHostObservation(
            sysHypervisorIsXen: hypervisorType.map { $0.trimmingWhitespace() == "xen" } ?? false,
            procXenExists: exists(root.appending("proc/xen")),
            capabilities: readSmallFile(root.appending("proc/xen/capabilities")),
            privcmdExists: exists(root.appending("dev/xen/privcmd")),
            effectiveUserID: SystemCalls.effectiveUserID
        )
    }

    private static func exists(_ path: FilePath) -> Bool {
        (try? path.stat()) != nil
    }

    /// Up to 4 KiB of a small text file, `nil` if it cannot be read.
    static func readSmallFile(_ path: FilePath) -> String? {
        (try? SystemCalls.readFile(path, limit: 4096)).map { String(decoding: $0, as: UTF8.self) }
    }
}
