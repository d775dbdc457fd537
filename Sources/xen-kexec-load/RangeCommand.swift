import ArgumentParser

/// `xen-kexec-load range` (not written yet).
struct RangeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "range", abstract: "(not implemented yet)")

    func run() throws {
        throw ExitCode(ToolExit.failure.rawValue)
    }
}
