import ArgumentParser

/// `xen-kexec-load`: plan and load Linux crash kernels into the Xen hypervisor.
@main
struct XenKexecLoad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xen-kexec-load",
        abstract: "Plan and load Linux crash kernels into the Xen hypervisor (dom0).",
        discussion: """
            Reads Linux x86 kernels (bzImage, signed bzImage, UKI, ELF envelope), lays out the \
            kexec segments inside Xen's crash region for KEXEC_TYPE_DEFAULT, KEXEC_TYPE_CRASH or \
            KEXEC_TYPE_CRASH_EFI, checks every plan against Xen's own rules offline, and loads it \
            through libxenctrl.
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
            FidelityCommand.self,
        ]
    )
}
