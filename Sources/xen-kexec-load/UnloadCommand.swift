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

    @Flag(name: .customLong("for-restart"),
          help: "The unit's ExecStop: keep the image's record so that, if the next provision fails, it is armed again. Without it the image is forgotten.")
    var forRestart = false

    @OptionGroup var common: CommonOptions
    @OptionGroup var state: StateOptions

    func run() throws {
        try common.run { (logger: Logger) throws(KexecError) in
            let hypervisor = try common.openHypervisor()
            let lock = try state.lock(logger)
            defer { lock.release() }
            try SlotOperations(hypervisor: hypervisor, store: state.store, logger: logger).unload(type.loadType, forRestart: forRestart)
            if common.json { Output.json(BackendJSON.encode(["unloaded": type.rawValue])) }
        }
    }
}
