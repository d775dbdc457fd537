import ArgumentParser

/// `xen-kexec-load inspect` (not written yet).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "(not implemented yet)")

    func run() throws {
        throw ExitCode(ToolExit.failure.rawValue)
    }
}
