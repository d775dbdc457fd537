import ArgumentParser
import Logging
import XenKexec

/// `xen-kexec-load exec`: run the loaded image now.
struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Execute the loaded default image now (or the crash image, with --yes-crash-now).",
        discussion: """
            The default image replaces Xen and every domain immediately, without shutting \
            anything down (use `systemctl kexec`-style shutdown first if that matters). The \
            crash image is entered as if Xen had panicked: the machine dumps and reboots.
            """
    )

    @Option(help: "The image to execute.")
    var type: SlotArgument = .default

    @Flag(name: .customLong("yes-crash-now"), help: "Confirm executing the crash image, which crashes the host now.")
    var yesCrashNow = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if type == .crash && !yesCrashNow {
            throw ValidationError("executing the crash image crashes the whole host; add --yes-crash-now to confirm")
        }
    }

    func run() throws {
        try common.run { (logger: Logger) throws(KexecError) in
            try SlotOperations(hypervisor: common.openHypervisor(), store: ArmedImageStore(), logger: logger).exec(type.loadType)
        }
    }
}
