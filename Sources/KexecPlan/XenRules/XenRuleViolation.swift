/// Xen's refusal of a load: which rule, on which hypervisor profile, its errno, and what
/// exactly broke it.
public struct XenRuleViolation: Error, Equatable, Sendable, CustomStringConvertible {
    /// The hypervisor profile whose rules refused the request.
    public var hypervisor: XenHypervisor
    public var rule: XenRule
    public var errno: Int32 { rule.errno }
    /// The offending segment, when the rule is about one.
    public var segmentIndex: Int?
    public var detail: String

    public init(hypervisor: XenHypervisor, rule: XenRule, segmentIndex: Int? = nil, detail: String) {
        self.hypervisor = hypervisor
        self.rule = rule
        self.segmentIndex = segmentIndex
        self.detail = detail
    }

    public var description: String {
        "\(hypervisor.name) would refuse the load with \(XenErrno.name(errno)) (\(rule.rawValue), \(rule.xenFunction)): \(detail)"
    }
}
