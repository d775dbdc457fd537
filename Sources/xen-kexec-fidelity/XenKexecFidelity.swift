import ArgumentParser

/// `xen-kexec-fidelity`: test tooling that talks to the running hypervisor. The e2e suite
/// builds it and copies it into the test dom0's image; it is not part of the shipped package,
/// and `xen-kexec-load` has none of its switches (tools/check-deb.sh checks the package).
///
/// - `compare` (the default): the differential test of `XenRules` against Xen.
/// - `fault-load`: a load with an injected fault (preflight skipped, wrong arch, no restore,
///   corrupt purgatory digest), for the refused-reload and purgatory scenarios.
@main
struct XenKexecFidelity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xen-kexec-fidelity",
        abstract: "Test only: check XenRules against the running Xen, and load kernels with injected faults.",
        subcommands: [CompareCommand.self, FaultLoadCommand.self],
        defaultSubcommand: CompareCommand.self
    )
}
