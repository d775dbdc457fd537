import Foundation
import Testing
@testable import KexecPlan

/// docs/xen-rules.md lists exactly `XenRules.allRules`, in order.
@Test func ruleTableMatchesTheDoc() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let doc = try String(contentsOf: root.appendingPathComponent("docs/xen-rules.md"), encoding: .utf8)
    let names = doc.split(separator: "\n").compactMap { line -> String? in
        let cols = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        guard cols.count > 3, Int(cols[0]) != nil, cols[1].hasPrefix("`") else { return nil }
        return cols[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
    }
    #expect(names == XenRules.allRules.map(\.rawValue))
    for rule in XenRules.allRules {
        #expect(doc.contains("| `\(rule.rawValue)` | \(XenErrno.name(rule.errno))"), "errno of \(rule) in the doc")
    }
}
