import ArgumentParser

/// `xen-kexec-load status` (not written yet).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "(not implemented yet)")

    func run() throws {
        throw ExitCode(ToolExit.failure.rawValue)
    }
}
