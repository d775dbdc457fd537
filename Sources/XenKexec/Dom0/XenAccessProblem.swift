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
