import SystemPackage
@testable import XenKexec
@testable import xen_kexec_load

/// What one injected fault led to, as the campaign's table shows it.
struct CellOutcome: Hashable, Comparable, Sendable {
    /// What the crash slot holds when the operation (or the killed process) is done:
    /// "before" (the image armed before, byte for byte), "new" (the image asked for) or "empty".
    var slot: String
    /// The operation's exit code (the CLI's, from ``Diagnosis``); for a kill, the next
    /// invocation's `status` exit code.
    var exit: Int32
    /// `status` afterwards is 4 (the record cannot vouch for the slot), where the slot alone
    /// would say 0 or 3.
    var statusUnknown: Bool
    var killed: Bool

    static func < (a: Self, b: Self) -> Bool {
        (a.slot, a.exit, a.statusUnknown ? 1 : 0) < (b.slot, b.exit, b.statusUnknown ? 1 : 0)
    }

    var text: String {
        let code = killed ? "status \(exit)" : "exit \(exit)"
        return "\(slot) · \(code)" + (statusUnknown && !killed ? " · status 4" : "")
    }
}

/// An operation run without a fault did not end as its ``CampaignOperation/baseline`` says
/// (e.g. the tests do not run as root, which the file trust checks and `provision` need).
struct BaselineMismatch: Error, CustomStringConvertible {
    var description: String
}

/// One injection and what came of it.
struct CampaignCell: Sendable {
    var operation: String
    var row: String
    var fault: InjectedFault
    var outcome: CellOutcome
    /// Broken promises; empty when the cell survived.
    var problems: [String]
}

/// Runs an operation once per step × fault, and once per file fault.
struct CampaignRunner {
    let operation: CampaignOperation

    /// The steps of a fault-free run; checks its outcome against ``CampaignOperation/baseline``.
    func baseline() async throws -> [String] {
        let w = CampaignWorld()
        try await operation.setUp(w)
        w.schedule.reset()
        let exit = await exitCode(w)
        guard (w.slot, exit) == operation.baseline else {
            throw BaselineMismatch(description: "\(operation.name) without a fault left \(w.slot), exit \(exit) (expected \(operation.baseline)): \(w.h.logs.lines.map(\.1))")
        }
        return w.schedule.trace
    }

    func run() async throws -> [CampaignCell] {
        let trace = try await baseline()
        var cells: [CampaignCell] = []
        var seen: [String: Int] = [:]
        for k in operation.sweepFrom(trace)..<trace.count {
            let step = trace[k]
            seen[step, default: 0] += 1
            let row = seen[step]! == 1 ? step : "\(step) (\(seen[step]!))"
            let faults: [InjectedFault] = HypervisorCall(step: step).map { XenErrnos.of($0).map(InjectedFault.errno) + [.killed] } ?? StateFaults.of(step)
            for fault in faults {
                cells.append(try await cell(row: row, fault: fault) { $0.schedule.target = (k, fault) })
            }
        }
        for file in operation.files {
            for f in file.faults {
                cells.append(try await cell(row: file.row, fault: .file(f)) { f.apply(to: file.path($0), in: $0.h.dir) })
            }
        }
        return cells
    }

    func exitCode(_ w: CampaignWorld) async -> Int32 {
        do throws(KexecError) {
            try await operation.act(w)
            return 0
        } catch {
            return Diagnosis(error).exit.rawValue
        }
    }

    /// One fresh dom0, set up; `inject` arms the fault; the operation runs; a killed
    /// process's leftovers are put back; then the promise is checked, and the next
    /// invocation must settle the slot.
    func cell(row: String, fault: InjectedFault, inject: (CampaignWorld) -> Void) async throws -> CampaignCell {
        let w = CampaignWorld()
        try await operation.setUp(w)
        w.schedule.reset()
        var left: CampaignWorld.Leftovers?
        w.schedule.onKill = { left = w.leftovers() }
        inject(w)
        var exit = await exitCode(w)
        w.schedule.target = nil
        var problems: [String] = []
        if case .file = fault {} else if !w.schedule.fired { problems.append("the fault was not injected") }
        if let left { w.restore(left) } else if fault.isKill { problems.append("no kill point reached") }
        let slot = w.slot
        let allowed = fault.isKill ? operation.allowedAfterKill : operation.allowed
        if !allowed.contains(slot) { problems.append("the crash slot holds \(slot)") }
        let (status, answer) = try statusOf(w, &problems)
        if fault.isKill { exit = status }
        if status == 0, case .armed(let r) = answer, w.image(digest: r.digest) != slot {
            problems.append("status vouches for \(w.image(digest: r.digest)) but the slot holds \(slot)")
        }
        if status == 3 && slot != "empty" { problems.append("status says nothing is armed, the slot holds \(slot)") }
        if !fault.isKill && exit == 0 && slot != operation.baseline.slot && !(operation.successMayKeep && slot == operation.before) { problems.append("succeeded, but the slot holds \(slot)") }
        let shown = slot == "empty" || slot == "damaged" || slot == "other" ? slot
            : slot == operation.before ? "before" : "new"
        let expectedStatus: Int32 = slot == "empty" ? 3 : 0
        let outcome = CellOutcome(slot: shown, exit: exit, statusUnknown: status != expectedStatus, killed: fault.isKill)
        w.repairFiles()
        w.h.hv.forgetFailures()
        do throws(KexecError) { try await operation.next(w) } catch { problems.append("the next invocation failed: \(error)") }
        let settledStatus = try statusOf(w, &problems).code
        if w.slot != operation.settled || settledStatus != (operation.settled == "empty" ? 3 : 0) {
            problems.append("after the next invocation the slot holds \(w.slot), status \(settledStatus)")
        }
        if !problems.isEmpty { problems.append("log: \(w.h.logs.lines.map(\.1).suffix(6))") }
        return CampaignCell(operation: operation.name, row: row, fault: fault, outcome: outcome, problems: problems)
    }

    func statusOf(_ w: CampaignWorld, _ problems: inout [String]) throws -> (code: Int32, status: ArmedStatus?) {
        do throws(KexecError) {
            let (code, s) = try w.status()
            return (code, s)
        } catch {
            problems.append("status failed: \(error)")
            return (-1, nil)
        }
    }
}
