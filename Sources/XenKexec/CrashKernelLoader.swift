import KexecImage
import KexecPlan
import Logging
import SystemPackage

/// Loads crash (and default) kernels so that nothing is lost when Xen refuses a reload.
///
/// The load pipeline, the same for `load`, `provision`, `reload`, the re-arm of an unloaded
/// image and the restore after a refused reload: the Secure Boot gate's type check; the
/// kernel (and initrd) read once from trusted files into payload memory; the gate verifies
/// those very bytes (``SecureBootGate/admit(_:path:type:initrd:commandLineGiven:logger:)``)
/// before any hypercall; the host queried; the plan made over the same memory
/// (`Planner.plan`, whose preflight applies each target hypervisor profile's `XenRules` once
/// to the one request, and whose one SHA-256 pass gives the purgatory's digest and Xen's
/// plan digest); the request sent from that memory; the record written. The files are not
/// hashed apart from that pass and the gate's Authenticode hash: the record, the "already
/// armed" check and a restore identify the armed bytes by the plan digest. A plan that
/// breaks Xen's rules is never sent. If Xen
/// refuses a crash load anyway, the crash region may already hold part of the new image (Xen
/// copies crash segments before its last checks), so the slot is unloaded and the last good
/// plan re-armed from the record — its files re-read and re-planned, refused unless the plan
/// digest is the armed one — or the failure says plainly that no crash kernel is armed.
public struct CrashKernelLoader {
    public let hypervisor: any KexecHypervisor
    public let planner: any LoadPlanning
    public let store: ArmedImageStore
    public let trust: FileTrustPolicy
    /// Where the host's firmware and ACPI RSDP are read from (dom0's `/sys`, and an explicit address).
    public let firmware: FirmwareDiscovery
    /// The Secure Boot gate every load passes, restores included.
    public let gate: SecureBootGate
    public let logger: Logger
    public let clock: @Sendable () -> Int64

    public init(
        hypervisor: any KexecHypervisor, planner: any LoadPlanning = StandardPlanner(),
        store: ArmedImageStore, trust: FileTrustPolicy = .rootOnly,
        firmware: FirmwareDiscovery = .live,
        gate: SecureBootGate = SecureBootGate(),
        logger: Logger = Logger(label: "xen-kexec-load"),
        clock: @escaping @Sendable () -> Int64 = CrashKernelLoader.systemClock
    ) {
        self.hypervisor = hypervisor
        self.planner = planner
        self.store = store
        self.trust = trust
        self.firmware = firmware
        self.gate = gate
        self.logger = logger
        self.clock = clock
    }

    /// Seconds since the epoch, from the system clock.
    public static let systemClock: @Sendable () -> Int64 = { SystemCalls.now }

    // MARK: Entry points

    /// Plans from the live host and preflights the plan; loads nothing. The kernel is read
    /// once into ordinary memory, which the gate verifies and the plan is made from; the
    /// initrd is read on demand (``FileBytes``): the plan and its one SHA-256 pass hold about
    /// 1 MiB of it at a time, and no hypercall buffer is allocated.
    public func dryRun(_ invocation: LoadInvocation) async throws(KexecError) -> DryRunOutcome {
        let type = invocation.request.type
        try gate.admit(type: type, kernel: invocation.kernel, logger: logger)
        let k = try FileBytes.open(invocation.kernel, policy: trust)
        do { try k.readWhole() } catch { throw .fileUnavailable(invocation.kernel, error) }
        let parsed = try? KernelImage.parse(k)
        let admitted = try await gate.admit(
            k.bytes, parsed: parsed, path: invocation.kernel, type: type, initrd: invocation.initrd,
            commandLineGiven: invocation.request.commandLine != CommandLineRequest(), logger: logger)
        let host = try liveHost(for: type)
        let i = try invocation.initrd.map { (p: FilePath) throws(KexecError) -> FileBytes in try FileBytes.open(p, policy: trust) }
        let plan = try planner.plan(image: k, parsed: parsed, initrd: i, host: host, request: invocation.planRequest(lockdown: gate.crashLockdown))
        let refusal = skippedPreflightVerdict(plan, image: k, invocation, host: host)
        if let i, let path = invocation.initrd, i.problem != nil { throw .fileChanged(path) }
        return DryRunOutcome(host: host, plan: plan, refusal: refusal, gate: admitted)
    }

    /// Plans, preflights and loads; on a refused crash reload, restores the last good plan.
    ///
    /// - Parameter keepIfArmed: when the slot already holds, by this tool's record and Xen's
    ///   status bit, a plan with the same digest and type, send nothing (`provision`).
    public func load(_ invocation: LoadInvocation, keepIfArmed: Bool = false) async throws(KexecError) -> LoadOutcome {
        let type = invocation.request.type
        let previous = store.read(slot: type).record
        let (attempt, host) = try await attemptLoad(invocation, keepIfArmed: keepIfArmed)
        switch attempt {
        case .unchanged(let plan, let record, let verdict):
            logger.notice("\(type.name) image already armed: \(plan.segments.count) segments, digest \(record.digest); nothing to do")
            return LoadOutcome(plan: plan, record: record, replaced: nil, unchanged: true, gate: verdict)
        case .loaded(let plan, let record, let verdict):
            try store.write(record)
            logger.notice("loaded \(type.name) image: \(plan.segments.count) segments, digest \(record.digest)")
            return LoadOutcome(plan: plan, record: record, replaced: previous, unchanged: false, gate: verdict)
        case .refused(let failure):
            var efiTypeKnown: Bool? = nil
            if type == .crashEFI && failure.errno == .invalidArgument {
                // A Xen without the type refuses it in kimage_alloc, before copying anything:
                // the armed image is intact and there is nothing to restore.
                efiTypeKnown = xenKnowsCrashEFI()
                if efiTypeKnown == false {
                    forgetLoadInProgress(previous, slot: type)
                    logger.error("Xen refused type 3 (its kexec_status for type 3 answers EINVAL too): this Xen has no KEXEC_TYPE_CRASH_EFI; the armed image was not touched")
                    throw .efiLoadTypeUnsupported
                }
            }
            let cause = ErrnoClassification.classify(failure, context: .init(crashRegion: host.crashRegion, efiTypeKnown: efiTypeKnown))
            logger.error("Xen refused the \(type.name) load\(invocation.preflight == .enforce ? " after the preflight passed" : ""): \(failure)")
            guard type.isCrash else {
                // Xen copies a default image into its own pages and swaps it in only on success.
                forgetLoadInProgress(previous, slot: type)
                throw cause
            }
            let outcome = await recover(previous: previous, host: host, restore: invocation.restoreOnRefusal)
            throw .reloadRefused(cause: cause, restore: outcome)
        }
    }

    /// Whether the hypervisor knows KEXEC_TYPE_CRASH_EFI: Xen answers `kexec_status` for an
    /// unknown type with EINVAL (the call changes nothing).
    ///
    /// The corresponding hypercall is `KEXEC_CMD_kexec_status`.
    func xenKnowsCrashEFI() -> Bool {
        do throws(HypercallFailure) {
            _ = try hypervisor.statusBit(type: LoadType.crashEFI.rawValue)
            return true
        } catch {
            return error.errno != .invalidArgument
        }
    }

    /// Xen's bit after a load; a failure to read it is logged and recorded as unknown (false).
    func readStatusBit(_ type: LoadType) -> Bool {
        do { return try hypervisor.statusBit(type: type.slot.rawValue) } catch {
            logger.warning("could not read Xen's status bit after the load: \(error)")
            return false
        }
    }

    /// After Xen refused a crash load: disarm the possibly damaged slot and re-arm the
    /// previous plan through the whole pipeline (the gate included), or say that nothing is
    /// armed.
    func recover(previous: ArmedImageRecord?, host: HostDescription, restore: Bool) async -> RestoreOutcome {
        guard restore else {
            if var damaged = previous {
                damaged.state = .possiblyDamaged
                try? store.write(damaged)
            } else {
                try? store.remove(slot: .crash)
            }
            logger.critical("the restore was skipped (test fault injection): the crash slot was left as Xen left it; it may hold a damaged image")
            return .skipped
        }
        let slot = LoadType.crash
        do {
            try hypervisor.unload(type: slot.rawValue)
        } catch {
            if var damaged = previous {
                damaged.state = .possiblyDamaged
                try? store.write(damaged)
            }
            let reason = ErrnoClassification.classify(error, context: .init(crashRegion: host.crashRegion))
            logger.critical("could not unload the possibly damaged crash image: \(error)")
            return previous == nil ? .nothingToRestore(disarmed: false) : .failed(reason: reason, disarmed: false)
        }
        guard let previous else {
            try? store.remove(slot: slot)
            logger.critical("no crash kernel is armed: the refused load may have damaged the slot, so it was unloaded, and this tool had armed nothing before")
            return .nothingToRestore(disarmed: true)
        }
        do throws(KexecError) {
            let record = try await rearm(previous)
            recordRearmed(record)
            logger.warning("re-armed the previous \(previous.type.name) image (digest \(record.digest))")
            return .restored(digest: record.digest)
        } catch {
            try? store.remove(slot: slot)
            logger.critical("NO CRASH KERNEL IS ARMED: re-arming the previous image failed: \(error)")
            return .failed(reason: error, disarmed: true)
        }
    }
}
