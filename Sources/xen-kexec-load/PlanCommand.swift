import ArgumentParser

/// `xen-kexec-load plan` (not written yet).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "(not implemented yet)")

    func run() throws {
        throw ExitCode(ToolExit.failure.rawValue)
    }
}
