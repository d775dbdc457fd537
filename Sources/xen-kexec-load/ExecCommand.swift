import ArgumentParser

/// `xen-kexec-load exec` (not written yet).
struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exec", abstract: "(not implemented yet)")

    func run() throws {
        throw ExitCode(ToolExit.failure.rawValue)
    }
}
