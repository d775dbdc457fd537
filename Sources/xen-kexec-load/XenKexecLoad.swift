import ArgumentParser

/// `xen-kexec-load`: plan and load Linux crash kernels into the Xen hypervisor.
@main
struct XenKexecLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xen-kexec-load",
        abstract: "Plan and load Linux crash kernels into the Xen hypervisor (dom0).",
        discussion: """
            Reads Linux x86 kernels (bzImage, signed bzImage, UKI, ELF envelope), lays out the \
            kexec segments inside Xen's crash region for KEXEC_TYPE_DEFAULT, KEXEC_TYPE_CRASH or \
            KEXEC_TYPE_CRASH_EFI, checks every plan against Xen's own rules offline, and loads it \
            through libxenctrl. Under lockdown (or --require-signature) load and provision verify \
            the kernel's Authenticode signature first (see "Secure Boot policy" in docs/uefi.md). \
            Exit status: 0 success, 1 failure, 3 nothing armed or loaded, 4 status unknown, \
            64 bad usage, 65 malformed image or impossible plan, 66 missing file, 69 not a Xen \
            dom0 or load type missing, 71 hypercall failed, 75 Xen busy or lock held, 77 not root \
            or refused by Xen, 78 no crash region or bad config file, 80 refused by the Secure \
            Boot policy (nothing was sent to Xen).
            """,
        version: "0.1.0",
        subcommands: [
            InspectCommand.self,
            PlanCommand.self,
            LoadCommand.self,
            UnloadCommand.self,
            ExecCommand.self,
            StatusCommand.self,
            RangeCommand.self,
            ProvisionCommand.self,
            EstimateCommand.self,
        ]
    )

    /// The entry point: parse and run a synchronous subcommand (`unload`, `status`, `range`,
    /// `plan`, …) on the main thread, and enter Swift concurrency's thread pool only for the
    /// asynchronous ones (`load`, `inspect`: the Secure Boot gate). ArgumentParser's own
    /// `AsyncParsableCommand.main()` is nonisolated, so it hops to a pool thread (one more
    /// thread and its pages) before it parses anything, whatever the subcommand; under a
    /// slow dom0 every page fault counts (docs/performance.md). Same parse, same errors and
    /// exit codes: `parseAsRoot` and `exit(withError:)` are what that `main()` calls.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
