import Foundation
import Testing

/// The fault campaign (issue 26): every operation, a fault at every step, the promise
/// checked after each, and docs/reliability.md's tables compared with what it found.
@Suite struct FaultCampaignTests {
    /// Each operation's cells, run once and shared by the tests below.
    static let results: [String: Task<[CampaignCell], any Error>] = Dictionary(
        uniqueKeysWithValues: CampaignOperation.all.map { op in (op.name, Task { try await CampaignRunner(operation: op).run() }) })

    static func cells(_ name: String) async throws -> [CampaignCell] {
        try await results[name]!.value
    }

    @Test(arguments: CampaignOperation.all.map(\.name))
    func everyFaultKeepsTheArmedImageOrArmsTheNewOne(_ name: String) async throws {
        let cells = try await Self.cells(name)
        #expect(!cells.isEmpty)
        for c in cells where !c.problems.isEmpty {
            Issue.record("\(c.operation), \(c.row), \(c.fault): \(c.problems.joined(separator: "; "))")
        }
    }

    @Test func atLeastAThousandFaults() async throws {
        var total = 0
        for op in CampaignOperation.all { total += try await Self.cells(op.name).count }
        #expect(total >= 1000, "\(total) faults")
    }

    /// docs/reliability.md holds the tables this run produced; `XEN_KEXEC_WRITE_RELIABILITY=1`
    /// (tools/reliability-table.sh) writes them there instead.
    @Test func docsReliabilityHoldsTheCampaignsTable() async throws {
        var results: [(CampaignOperation, [CampaignCell])] = []
        for op in CampaignOperation.all { results.append((op, try await Self.cells(op.name))) }
        let table = ReliabilityTable.markdown(results)
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/reliability.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        let begin = try #require(text.range(of: ReliabilityTable.begin))
        let end = try #require(text.range(of: ReliabilityTable.end))
        let current = String(text[begin.upperBound..<end.lowerBound])
        let generated = "\n" + table
        if ProcessInfo.processInfo.environment["XEN_KEXEC_WRITE_RELIABILITY"] == "1" {
            try (String(text[..<begin.upperBound]) + generated + String(text[end.lowerBound...])).write(to: doc, atomically: true, encoding: .utf8)
        } else {
            #expect(current == generated, "docs/reliability.md is stale: run tools/reliability-table.sh")
        }
    }
}
