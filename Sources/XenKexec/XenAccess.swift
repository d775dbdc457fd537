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

/// Why this host cannot talk to Xen's kexec interface, decided from a ``XenHostObservation``
/// before libxenctrl is opened.
public enum XenAccessProblem: Equatable, Sendable {
    /// Not running on Xen at all.
    case notXen
    /// Running on Xen, but xenfs is not mounted on `/proc/xen` (no `capabilities`).
    case xenfsNotMounted
    /// A Xen guest that is not the control domain.
    case notDom0(capabilities: String)
    /// dom0, but `/dev/xen/privcmd` is missing (the xen-privcmd module is not loaded).
    case noPrivcmd
    /// dom0, but not running as root.
    case notRoot(uid: UInt32)

    /// The first problem found, in the order an operator has to fix them; `nil` if the host
    /// is a usable dom0.
    public static func check(_ o: XenHostObservation) -> XenAccessProblem? {
        guard o.sysHypervisorIsXen || o.procXenExists else { return .notXen }
        guard let caps = o.capabilities else { return .xenfsNotMounted }
        let words = caps.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "," })
        guard words.contains("control_d") else { return .notDom0(capabilities: caps.trimmingWhitespace()) }
        guard o.privcmdExists else { return .noPrivcmd }
        guard o.effectiveUserID == 0 else { return .notRoot(uid: o.effectiveUserID) }
        return nil
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let ws: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !ws($0) }), let last = lastIndex(where: { !ws($0) }) else { return "" }
        return String(self[first...last])
    }
}
