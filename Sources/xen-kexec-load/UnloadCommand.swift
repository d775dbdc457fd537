import ArgumentParser

/// `xen-kexec-load unload` (not written yet).
struct UnloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unload", abstract: "(not implemented yet)")

    func run() throws {
        throw ExitCode(ToolExit.failure.rawValue)
    }
}
