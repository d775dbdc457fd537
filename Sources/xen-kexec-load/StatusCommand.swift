import ArgumentParser
import FoundationEssentials
import Logging
import XenKexec

/// `xen-kexec-load status`: what this tool armed, cross-checked with Xen.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say whether a crash (or default) kernel is armed.",
        discussion: """
            Xen's own status bit flips on every load and unload, so it cannot say "loaded". \
            status reports the image this tool recorded when it loaded it, and checks that \
            Xen's bit still has the value it had right after that load. Exit status: 0 armed, \
            3 not armed (by this tool, in this boot), 4 unknown (Xen and the record disagree, \
            the record is unreadable, or the image may have been damaged by a refused reload).
            """
    )

    @Option(help: "The slot to report.")
    var type: SlotArgument = .crash

    @OptionGroup var common: CommonOptions
    @OptionGroup var state: StateOptions

    func run() throws {
        var exit = ToolExit.success
        try common.run { (logger: Logger) throws(KexecError) in
            let status = try SlotOperations(hypervisor: common.openHypervisor(), store: state.store, logger: logger).status(type.loadType)
            let report = StatusReport(status, slot: type.rawValue)
            exit = report.exit
            if common.json {
                var document = report.document
                document.secureBoot = SecureBootReport(SecureBootSources().state())
                Output.json(BackendJSON.encode(document))
            } else {
                Output.line(report.text)
            }
        }
        if exit != .success { throw exit.code }
    }
}

/// The words and exit code for an ``ArmedStatus``. Pure.
struct StatusReport {
    let text: String
    let exit: ToolExit
    let document: BackendJSON.Status

    init(_ status: ArmedStatus, slot: String) {
        func describe(_ r: ArmedImageRecord) -> String {
            var s = "\(r.type.name) image \(r.kernel.path)"
            if let i = r.initrd { s += " + \(i.path)" }
            s += ", digest \(r.digest), loaded \(Self.time(r.loadedAt))"
            return s
        }
        switch status {
        case .armed(let r):
            text = "armed: \(describe(r))"
            exit = .success
            document = .init(slot: slot, state: "armed", armed: true, xenStatusBit: r.xenStatusBit, record: .init(r), message: text)
        case .disagree(let r, let bit):
            text = "unknown: this tool armed \(describe(r)), but Xen's \(slot) slot has been loaded or unloaded since (its status bit is \(bit ? 1 : 0), was \(r.xenStatusBit ? 1 : 0)); another tool may have replaced or removed the image, so load it again"
            exit = .statusUnknown
            document = .init(slot: slot, state: "disagree", armed: false, xenStatusBit: bit, record: .init(r), message: text)
        case .possiblyDamaged(let r):
            text = "unknown: \(describe(r)) may have been damaged by a refused reload that was not restored, or a load was interrupted before its outcome was recorded; unload and load again"
            exit = .statusUnknown
            document = .init(slot: slot, state: "possibly-damaged", armed: false, xenStatusBit: r.xenStatusBit, record: .init(r), message: text)
        case .notLoaded(let bit):
            text = "not loaded: xen-kexec-load armed nothing in the \(slot) slot since boot (Xen's status bit is \(bit ? 1 : 0), which only counts loads and unloads)"
            exit = .notLoaded
            document = .init(slot: slot, state: "not-loaded", armed: false, xenStatusBit: bit, record: nil, message: text)
        case .recordUnreadable(let reason, let bit):
            text = "unknown: the record of the \(slot) slot cannot be read (\(reason)); load again to rewrite it"
            exit = .statusUnknown
            document = .init(slot: slot, state: "record-unreadable", armed: false, xenStatusBit: bit, record: nil, message: text)
        }
    }

    static func time(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }
}
