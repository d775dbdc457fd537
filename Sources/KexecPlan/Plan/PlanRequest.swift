import KexecImage

/// How the user asked for the new kernel's command line.
public struct CommandLineRequest: Equatable, Sendable {
    /// `--command-line`: replaces everything (including a UKI's `.cmdline`).
    public var replacement: String?
    /// `--append`: added after the base.
    public var append: String?
    /// `--reuse-cmdline`: the running kernel's command line (minus `BOOT_IMAGE=` and `crashkernel=`).
    public var reuse: String?

    public init(replacement: String? = nil, append: String? = nil, reuse: String? = nil) {
        self.replacement = replacement
        self.append = append
        self.reuse = reuse
    }
}

/// Everything the user chose for a plan, apart from the files and the host.
public struct PlanRequest: Equatable, Sendable {
    public var type: LoadType
    public var commandLine: CommandLineRequest
    /// The hypervisor reads segment 0's header at its in-page offset (not the v2 patch as
    /// posted), so a kern16 size that is not a multiple of 4 KiB is acceptable for crash-efi.
    public var xenReadsUnalignedHeader: Bool
    /// `xen-kexec-fidelity fault-load --skip-preflight` (tests only): plan even what Xen will
    /// refuse. The planner then skips `XenRules` and the load type's own header rules (the
    /// kernel must still be a loadable 64-bit bzImage), so that such a plan can reach Xen at all.
    public var skipXenRules: Bool
    /// `xen-kexec-fidelity fault-load --corrupt-purgatory-digest` (tests only): the
    /// purgatory's table records a wrong digest (one bit flipped), so the purgatory must
    /// refuse to start the kernel.
    public var corruptPurgatoryDigest: Bool
    /// `plan --segment-digests`: also compute each segment's own SHA-256 (informational; a
    /// second pass over the payload). Without it `KexecSegment.sha256` stays nil.
    public var segmentDigests: Bool
    /// Under the Secure Boot policy, the new kernel comes up locked down: `boot_params.secure_boot`
    /// is set to 3 (enabled), as Linux's own kexec copies it across (Linux
    /// `arch/x86/kernel/kexec-bzimage64.c`, "Copy secure_boot flag in boot params across kexec
    /// reboot"), and `lockdown=LEVEL` goes on its command line, because a kernel started
    /// without EFI information ignores that flag (Linux `drivers/firmware/efi/secureboot.c`,
    /// `efi_set_secure_boot`, acts only with EFI_BOOT). `nil`: neither.
    public var lockdown: LockdownLevel?

    public init(
        type: LoadType, commandLine: CommandLineRequest = .init(), xenReadsUnalignedHeader: Bool = false,
        skipXenRules: Bool = false, corruptPurgatoryDigest: Bool = false, segmentDigests: Bool = false,
        lockdown: LockdownLevel? = nil
    ) {
        self.type = type
        self.commandLine = commandLine
        self.xenReadsUnalignedHeader = xenReadsUnalignedHeader
        self.skipXenRules = skipXenRules
        self.corruptPurgatoryDigest = corruptPurgatoryDigest
        self.segmentDigests = segmentDigests
        self.lockdown = lockdown
    }
}

/// A Linux lockdown level for the new kernel's `lockdown=` parameter (Linux
/// `security/lockdown/lockdown.c`, `lockdown_param`).
public enum LockdownLevel: String, Equatable, Sendable, CaseIterable {
    case integrity
    case confidentiality
}
