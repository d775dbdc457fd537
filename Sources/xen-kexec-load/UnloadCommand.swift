import ArgumentParser
import Logging
import XenKexec

/// `xen-kexec-load unload`: empty a slot and forget its record.
struct UnloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unload",
        abstract: "Unload the crash (or default) image from Xen.",
        discussion: "Xen does not clear the crash region; it only forgets the image. Succeeds when nothing is loaded."
    )

    @Option(help: "The slot to empty.")
    var type: SlotArgument = .crash

    @OptionGroup var common: CommonOptions
    @OptionGroup var state: StateOptions

    func run() throws {
        let logger = CLILogging.bootstrap(verbosity: common.verbose)
        try reportingErrors(json: common.json, logger: logger) { () throws(KexecError) in
            let hypervisor = try XenctrlHypervisor.open(verboseLibxenctrl: common.verbose >= 2)
            let lock = try state.lock(logger)
            defer { lock.release() }
            try SlotOperations(hypervisor: hypervisor, store: state.store, logger: logger).unload(type.loadType)
            if common.json { Output.json(BackendJSON.encode(["unloaded": type.rawValue])) }
        }
    }
}
