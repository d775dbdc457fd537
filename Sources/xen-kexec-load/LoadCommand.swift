import ArgumentParser

/// `xen-kexec-load load` (not written yet).
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "(not implemented yet)")

    func run() throws {
        throw ExitCode(ToolExit.failure.rawValue)
    }
}
