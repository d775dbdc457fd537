import KexecImage
import KexecPlan
import SystemPackage

/// What the fidelity run prints: one line per case on stdout (the e2e scenarios read it off
/// the serial console), errors on stderr.
enum FidelityOutput {
    static func line(_ text: String) {
        _ = try? FileDescriptor.standardOutput.writeAll(Array((text + "\n").utf8))
    }

    static func error(_ text: String) {
        _ = try? FileDescriptor.standardError.writeAll(Array((text + "\n").utf8))
    }

    /// `accept`, or the errno and rule `XenRules` predicts, e.g. `EINVAL (segmentPastEnd)`.
    static func describe(_ v: XenRuleViolation?) -> String {
        guard let v else { return "accept" }
        return "\(XenErrno.name(v.rule.errno)) (\(v.rule.rawValue))"
    }

    /// One line: type, arch, entry and every segment, for a disagreement report.
    static func describe(_ r: KexecLoadRequest) -> String {
        let segs = r.segments.map { "\($0.hasBuffer ? "buf" : "nobuf") \(hex($0.bufSize))->\(hex($0.dest))+\(hex($0.destSize))" }
        return "type \(r.type) arch \(r.arch) entry \(hex(r.entryMaddr)) [\(segs.joined(separator: ", "))]"
    }
}
