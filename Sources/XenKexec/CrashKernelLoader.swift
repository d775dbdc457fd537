import KexecImage
import KexecPlan
import Logging
import SystemPackage

/// Loads crash (and default) kernels so that nothing is lost when Xen refuses a reload.
///
/// The load pipeline: the kernel (and initrd) read once from trusted files into payload
/// memory, planned over that memory (`Planner.plan`, whose preflight applies each target
/// hypervisor profile's `XenRules` once to the one request, and whose one SHA-256 pass
/// gives the purgatory's digest and Xen's plan digest), the request sent, the record
/// written. The files are not hashed apart from that pass: the record, the "already armed"
/// check and a restore identify the armed bytes by the plan digest. (Only a Secure Boot pin
/// hashes the kernel once more.) A plan that breaks Xen's rules is never sent. If Xen
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
    public let logger: Logger
    public let clock: @Sendable () -> Int64

    public init(
        hypervisor: any KexecHypervisor, planner: any LoadPlanning = StandardPlanner(),
        store: ArmedImageStore, trust: FileTrustPolicy = .rootOnly,
        firmware: FirmwareDiscovery = .live,
        logger: Logger = Logger(label: "xen-kexec-load"),
        clock: @escaping @Sendable () -> Int64 = CrashKernelLoader.systemClock
    ) {
        self.hypervisor = hypervisor
        self.planner = planner
        self.store = store
        self.trust = trust
        self.firmware = firmware
        self.logger = logger
        self.clock = clock
    }

    /// Seconds since the epoch, from the system clock.
    public static let systemClock: @Sendable () -> Int64 = { SystemCalls.now }

    // MARK: Entry points

    /// Plans from the live host and preflights the plan; loads nothing. The files are read on
    /// demand (``FileBytes``), not into payload memory: the plan and its one SHA-256 pass hold
    /// about 1 MiB of a file at a time, and no hypercall buffer is allocated.
    public func dryRun(_ invocation: LoadInvocation) throws(KexecError) -> DryRunOutcome {
        let host = try liveHost(for: invocation.request.type)
        let k = try FileBytes.open(invocation.kernel, policy: trust)
        let i = try invocation.initrd.map { (p: FilePath) throws(KexecError) -> FileBytes in try FileBytes.open(p, policy: trust) }
        let plan = try planner.plan(image: k, initrd: i, host: host, request: invocation.planRequest)
        let refusal = skippedPreflightVerdict(plan, image: k, invocation, host: host)
        if k.problem != nil { throw .fileChanged(invocation.kernel) }
        if let i, let path = invocation.initrd, i.problem != nil { throw .fileChanged(path) }
        return DryRunOutcome(host: host, plan: plan, refusal: refusal)
    }

    /// Plans, preflights and loads; on a refused crash reload, restores the last good plan.
    ///
    /// - Parameter keepIfArmed: when the slot already holds, by this tool's record and Xen's
    ///   status bit, a plan with the same digest and type, send nothing (`provision`).
    public func load(_ invocation: LoadInvocation, keepIfArmed: Bool = false) throws(KexecError) -> LoadOutcome {
        let type = invocation.request.type
        let host = try liveHost(for: type)
        let lookup = store.read(slot: type)
        let previous = lookup.record
        var armed: ArmedImageRecord?
        if keepIfArmed, let previous, previous.type == type {
            let bit = readStatusBit(type)
            if ArmedStatus.evaluate(lookup, xenBit: bit).isArmed { armed = previous }
        }
        let attempt = try attemptLoad(invocation, host: host, unlessArmed: armed)
        switch attempt {
        case .unchanged(let plan, let record):
            logger.notice("\(type.name) image already armed: \(plan.segments.count) segments, digest \(record.digest); nothing to do")
            return LoadOutcome(plan: plan, record: record, replaced: nil, unchanged: true)
        case .loaded(let plan, let record):
            try store.write(record)
            logger.notice("loaded \(type.name) image: \(plan.segments.count) segments, digest \(record.digest)")
            return LoadOutcome(plan: plan, record: record, replaced: previous, unchanged: false)
        case .refused(let failure):
            var efiTypeKnown: Bool? = nil
            if type == .crashEFI && failure.errno == .invalidArgument {
                // A Xen without the type refuses it in kimage_alloc, before copying anything:
                // the armed image is intact and there is nothing to restore.
                efiTypeKnown = xenKnowsCrashEFI()
                if efiTypeKnown == false {
                    logger.error("Xen refused type 3 (its kexec_status for type 3 answers EINVAL too): this Xen has no KEXEC_TYPE_CRASH_EFI; the armed image was not touched")
                    throw .efiLoadTypeUnsupported
                }
            }
            let cause = ErrnoClassification.classify(failure, context: .init(crashRegion: host.crashRegion, efiTypeKnown: efiTypeKnown))
            logger.error("Xen refused the \(type.name) load\(invocation.preflight == .enforce ? " after the preflight passed" : ""): \(failure)")
            guard type.isCrash else { throw cause }
            let outcome = recover(previous: previous, host: host, restore: invocation.restoreOnRefusal)
            throw .reloadRefused(cause: cause, restore: outcome)
        }
    }

    // MARK: Steps

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

    /// The host description; for crash types, insists on a crash region. Says at `-v`
    /// how the firmware and the ACPI RSDP were found (the planner checks the RSDP).
    func liveHost(for type: LoadType) throws(KexecError) -> HostDescription {
        let facts = firmware.discover()
        for note in facts.notes { logger.info("\(note)") }
        let rsdp = facts.acpiRsdp.map { "ACPI RSDP \(hex($0)) from \(facts.acpiRsdpSource?.description ?? "?")" } ?? "no ACPI RSDP"
        logger.info("firmware \(facts.firmware.rawValue) (\(facts.firmwareEvidence)); \(rsdp)")
        let host = try HostQuery.describe(hypervisor, firmware: facts, dom0VmcoreInfo: dom0VmcoreInfo(for: type))
        if type.isCrash && host.crashRegion == nil { throw .noCrashRegion }
        return host
    }

    /// dom0's VMCOREINFO note for a crash type's ELF core header, read from the same sysfs as
    /// the firmware facts; when there is none the load goes on without it and says so.
    func dom0VmcoreInfo(for type: LoadType) -> AddressRange? {
        guard type.isCrash else { return nil }
        switch Dom0VmcoreInfoDiscovery(sysfsRoot: firmware.sysfsRoot).discover() {
        case .found(let range):
            logger.info("dom0 VMCOREINFO note at \(hex(range.start)), \(range.size) bytes (\(firmware.sysfsRoot)/kernel/vmcoreinfo)")
            return range
        case .unavailable(let why):
            logger.warning("no dom0 VMCOREINFO note in the ELF core header: \(why); the dump will hold Xen's VMCOREINFO only, so makedumpfile cannot filter dom0's memory or extract dom0's log")
            return nil
        }
    }

    /// Files read, plan made (the one hashing pass), request built (payloads alive while this lives).
    struct Prepared {
        let kernel: LoadedFile
        let initrd: LoadedFile?
        let plan: LoadPlan
        var request: KexecLoadRequest
    }

    /// With the preflight skipped, what Xen's rules say of the request as it will be sent
    /// (`nil` when the preflight is enforced: the planner has applied the rules already).
    func skippedPreflightVerdict<Bytes: RandomAccessCollection>(
        _ plan: LoadPlan, image: Bytes, _ invocation: LoadInvocation, host: HostDescription
    ) -> XenRuleViolation? where Bytes.Element == UInt8, Bytes.Index == Int {
        guard case .skip(let arch) = invocation.preflight else { return nil }
        var xen = Planner.xenRequest(for: plan, image: image)
        if let arch { xen.arch = arch }
        return planner.violation(of: xen, host: host, planRequest: invocation.request)
    }

    /// Payload memory from the hypervisor.
    func allocate(_ n: Int) throws(KexecError) -> PayloadBuffer {
        do throws(HypercallFailure) { return try hypervisor.allocatePayload(byteCount: n) } catch {
            throw .payloadAllocationFailed(bytes: n, errno: error.errno)
        }
    }

    func prepare(kernel: FilePath, initrd: FilePath?, request: PlanRequest, host: HostDescription) throws(KexecError) -> Prepared {
        let k = try LoadedFile.load(kernel, policy: trust, allocate: { (n: Int) throws(KexecError) in try allocate(n) })
        let i = try initrd.map { (p: FilePath) throws(KexecError) -> LoadedFile in try LoadedFile.load(p, policy: trust, allocate: { (n: Int) throws(KexecError) in try allocate(n) }) }
        logger.info("read \(kernel) (\(k.payload.byteCount) bytes, \(k.payload.origin.rawValue) memory)")
        if let i { logger.info("read \(i.path) (\(i.payload.byteCount) bytes)") }
        let plan = try planner.plan(image: PayloadBytes(k.payload), initrd: i.map { PayloadBytes($0.payload) }, host: host, request: request)
        let raw = try PlanPayloads.request(for: plan, image: k.payload, initrd: i?.payload, allocate: { (n: Int) throws(KexecError) in try allocate(n) })
        return Prepared(kernel: k, initrd: i, plan: plan, request: raw)
    }

    enum Attempt {
        case loaded(LoadPlan, ArmedImageRecord)
        case unchanged(LoadPlan, ArmedImageRecord)
        case refused(HypercallFailure)
    }

    /// Prepares, preflights and sends the new plan. The payload buffers are released when
    /// this returns, before any restore allocates its own.
    func attemptLoad(_ invocation: LoadInvocation, host: HostDescription, unlessArmed armed: ArmedImageRecord? = nil) throws(KexecError) -> Attempt {
        var prepared = try prepare(kernel: invocation.kernel, initrd: invocation.initrd, request: invocation.planRequest, host: host)
        if let expected = invocation.expectedKernelSHA256 {
            // Secure Boot only: the bytes read for loading must be the file the gate verified,
            // a second SHA-256 of the kernel that no load without the policy makes.
            let now = hexDigits(prepared.kernel.payload.sha256())
            if now != expected { throw .fileHashChanged(prepared.kernel.path, recorded: expected, now: now) }
        }
        if let armed, armed.digest == hexDigits(prepared.plan.digest) {
            return .unchanged(prepared.plan, armed)
        }
        if case .skip(let arch?) = invocation.preflight {
            logger.warning("sending arch \(arch) instead of \(prepared.request.arch) (test fault injection)")
            prepared.request.arch = arch
        }
        if let v = skippedPreflightVerdict(prepared.plan, image: PayloadBytes(prepared.kernel.payload), invocation, host: host) {
            logger.warning("preflight refused the plan (\(v)); sending it anyway (test fault injection: preflight skipped)")
        }
        do {
            try hypervisor.load(prepared.request)
        } catch {
            return .refused(error)
        }
        let record = ArmedImageRecord(
            type: invocation.request.type, digest: hexDigits(prepared.plan.digest),
            kernel: .init(path: prepared.kernel.path.string),
            initrd: prepared.initrd.map { .init(path: $0.path.string) },
            commandLineRequest: invocation.request.commandLine,
            xenReadsUnalignedHeader: invocation.request.xenReadsUnalignedHeader,
            commandLine: prepared.plan.commandLine, segmentCount: prepared.plan.segments.count,
            loadedAt: clock(), xenStatusBit: readStatusBit(invocation.request.type),
            bootID: store.bootID)
        return .loaded(prepared.plan, record)
    }

    /// Xen's bit after a load; a failure to read it is logged and recorded as unknown (false).
    func readStatusBit(_ type: LoadType) -> Bool {
        do { return try hypervisor.statusBit(type: type.slot.rawValue) } catch {
            logger.warning("could not read Xen's status bit after the load: \(error)")
            return false
        }
    }

    /// After Xen refused a crash load: disarm the possibly damaged slot and re-arm the
    /// previous plan, or say that nothing is armed.
    func recover(previous: ArmedImageRecord?, host: HostDescription, restore: Bool) -> RestoreOutcome {
        guard restore else {
            if var damaged = previous {
                damaged.state = .possiblyDamaged
                try? store.write(damaged)
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
        do {
            let record = try rearm(previous, host: host)
            try store.write(record)
            logger.warning("re-armed the previous \(previous.type.name) image (digest \(record.digest))")
            return .restored(digest: record.digest)
        } catch {
            try? store.remove(slot: slot)
            logger.critical("NO CRASH KERNEL IS ARMED: re-arming the previous image failed: \(error)")
            return .failed(reason: error, disarmed: true)
        }
    }

    /// Loads the plan of `record` again from its files: re-made with the recorded request on
    /// this boot's host (a record lives in `/run`, so it is this boot's), it must have the
    /// armed plan digest, which covers every byte loaded from the files. Its one hashing pass
    /// is the check; nothing else hashes the files.
    func rearm(_ record: ArmedImageRecord, host: HostDescription) throws(KexecError) -> ArmedImageRecord {
        let prepared = try prepare(
            kernel: FilePath(record.kernel.path), initrd: record.initrd.map { FilePath($0.path) },
            request: record.planRequest, host: host)
        let digest = hexDigits(prepared.plan.digest)
        guard digest == record.digest else {
            throw .armedImageChanged(kernel: prepared.kernel.path, initrd: prepared.initrd?.path, recorded: record.digest, now: digest)
        }
        do {
            try hypervisor.load(prepared.request)
        } catch {
            throw ErrnoClassification.classify(error, context: .init(crashRegion: host.crashRegion))
        }
        var armed = record
        armed.commandLine = prepared.plan.commandLine
        armed.segmentCount = prepared.plan.segments.count
        armed.loadedAt = clock()
        armed.xenStatusBit = readStatusBit(record.type)
        armed.bootID = store.bootID
        armed.state = .armed
        return armed
    }
}
