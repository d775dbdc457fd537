import KexecImage
import KexecPlan
import SystemPackage

/// The steps of ``CrashKernelLoader``'s one pipeline, in order: the gate's type check, each
/// file read once into payload memory, the gate's verification of those bytes, the host
/// query, the plan over the same memory, the request sent from it, the record.
extension CrashKernelLoader {
    /// The files as read, and what the Secure Boot gate said of them.
    struct Admitted {
        let kernel: LoadedFile
        /// The kernel file parsed once; the gate and the planner use this parse (`nil` when
        /// it does not parse: the planner says why, after the host query, as for any plan).
        let parsed: KernelImage?
        let initrd: LoadedFile?
        let verdict: SecureBootGate.Outcome
    }

    /// Files read, gate passed, plan made (the one hashing pass), request built (payloads
    /// alive while this lives).
    struct Prepared {
        let admitted: Admitted
        let plan: LoadPlan
        var request: KexecLoadRequest
    }

    enum Attempt {
        case loaded(LoadPlan, ArmedImageRecord, SecureBootGate.Outcome)
        case unchanged(LoadPlan, ArmedImageRecord, SecureBootGate.Outcome)
        case refused(HypercallFailure)
    }

    /// The host description; for crash types, insists on a crash region. Says at `-v`
    /// how the firmware and the ACPI RSDP were found (the planner checks the RSDP).
    func liveHost(for type: LoadType, firmware discovery: FirmwareDiscovery? = nil) throws(KexecError) -> HostDescription {
        let facts = (discovery ?? firmware).discover()
        for note in facts.notes { logger.info("\(note)") }
        for warning in facts.warnings { logger.warning("\(warning)") }
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

    /// Payload memory from the hypervisor (libxencall's buffer allocation: no hypercall).
    func allocate(_ n: Int) throws(KexecError) -> PayloadBuffer {
        do throws(HypercallFailure) { return try hypervisor.allocatePayload(byteCount: n) } catch {
            throw .payloadAllocationFailed(bytes: n, errno: error.errno)
        }
    }

    /// The gate's type check, then each file read once into payload memory, then the gate's
    /// verification of the kernel bytes just read. No hypercall.
    func readAndAdmit(kernel: FilePath, initrd: FilePath?, type: LoadType, commandLine: CommandLineRequest) async throws(KexecError) -> Admitted {
        try gate.admit(type: type, kernel: kernel, logger: logger)
        let k = try LoadedFile.load(kernel, policy: trust, allocate: { (n: Int) throws(KexecError) in try allocate(n) })
        let i = try initrd.map { (p: FilePath) throws(KexecError) -> LoadedFile in try LoadedFile.load(p, policy: trust, allocate: { (n: Int) throws(KexecError) in try allocate(n) }) }
        logger.info("read \(kernel) (\(k.payload.byteCount) bytes, \(k.payload.origin.rawValue) memory)")
        if let i { logger.info("read \(i.path) (\(i.payload.byteCount) bytes)") }
        let parsed = try? KernelImage.parse(PayloadBytes(k.payload))
        let verdict: SecureBootGate.Outcome
        if gate.activeBecause() == nil {
            verdict = .notRequired
        } else {
            // The gate verifies a copy of the payload memory just filled, which is what is sent.
            verdict = try await gate.admit(
                Array(PayloadBytes(k.payload)), parsed: parsed, path: kernel, type: type, initrd: initrd,
                commandLineGiven: commandLine != CommandLineRequest(), logger: logger)
        }
        return Admitted(kernel: k, parsed: parsed, initrd: i, verdict: verdict)
    }

    /// The plan over the admitted files' payload memory, and the request over the same memory.
    func prepare(_ admitted: Admitted, request: PlanRequest, host: HostDescription) throws(KexecError) -> Prepared {
        let k = admitted.kernel, i = admitted.initrd
        let plan = try planner.plan(image: PayloadBytes(k.payload), parsed: admitted.parsed, initrd: i.map { PayloadBytes($0.payload) }, host: host, request: request)
        let raw = try PlanPayloads.request(for: plan, image: k.payload, initrd: i?.payload, allocate: { (n: Int) throws(KexecError) in try allocate(n) })
        return Prepared(admitted: admitted, plan: plan, request: raw)
    }

    /// Reads, admits, queries the host, plans, preflights and sends the new plan. The payload
    /// buffers are released when this returns, before any restore allocates its own.
    func attemptLoad(_ invocation: LoadInvocation, keepIfArmed: Bool) async throws(KexecError) -> (Attempt, HostDescription) {
        let type = invocation.request.type
        let admitted = try await readAndAdmit(kernel: invocation.kernel, initrd: invocation.initrd, type: type, commandLine: invocation.request.commandLine)
        let host = try liveHost(for: type)
        let request = invocation.planRequest(lockdown: gate.crashLockdown)
        var prepared = try prepare(admitted, request: request, host: host)
        let digest = hexDigits(prepared.plan.digest)
        if keepIfArmed {
            let lookup = store.read(slot: type)
            if let armed = lookup.record, armed.type == type, armed.digest == digest,
                ArmedStatus.evaluate(lookup, xenBit: readStatusBit(type)).isArmed
            {
                return (.unchanged(prepared.plan, armed, admitted.verdict), host)
            }
        }
        if case .skip(let arch?) = invocation.preflight {
            logger.warning("sending arch \(arch) instead of \(prepared.request.arch) (test fault injection)")
            prepared.request.arch = arch
        }
        if let v = skippedPreflightVerdict(prepared.plan, image: PayloadBytes(admitted.kernel.payload), invocation, host: host) {
            logger.warning("preflight refused the plan (\(v)); sending it anyway (test fault injection: preflight skipped)")
        }
        var record = ArmedImageRecord(
            type: type, digest: digest,
            kernel: .init(path: invocation.kernel.string),
            initrd: invocation.initrd.map { .init(path: $0.string) },
            commandLineRequest: invocation.request.commandLine,
            xenReadsUnalignedHeader: invocation.request.xenReadsUnalignedHeader,
            lockdown: request.lockdown, acpiRsdp: firmware.explicit,
            commandLine: prepared.plan.commandLine, segmentCount: prepared.plan.segments.count,
            loadedAt: clock(), xenStatusBit: false,
            bootID: store.bootID)
        try recordLoadInProgress(store.read(slot: type).record ?? record)
        do {
            try hypervisor.load(prepared.request)
        } catch {
            return (.refused(error), host)
        }
        record.xenStatusBit = readStatusBit(type)
        return (.loaded(prepared.plan, record, admitted.verdict), host)
    }

    /// Loads the plan of `record` again through the whole pipeline: its files read once, the
    /// gate passed under today's policy, the plan re-made with the recorded request (lockdown
    /// and explicit ACPI RSDP included) on this boot's host (a record lives in `/run`, so it
    /// is this boot's); it must have the armed plan digest, which covers every byte loaded
    /// from the files. Ends with `KEXEC_CMD_kexec_load`.
    func rearm(_ record: ArmedImageRecord) async throws(KexecError) -> ArmedImageRecord {
        let kernel = FilePath(record.kernel.path), initrd = record.initrd.map { FilePath($0.path) }
        let admitted = try await readAndAdmit(kernel: kernel, initrd: initrd, type: record.type, commandLine: record.commandLineRequest)
        var discovery = firmware
        discovery.explicit = record.acpiRsdp
        let host = try liveHost(for: record.type, firmware: discovery)
        let prepared = try prepare(admitted, request: record.planRequest, host: host)
        let digest = hexDigits(prepared.plan.digest)
        guard digest == record.digest else {
            throw .armedImageChanged(kernel: kernel, initrd: initrd, recorded: record.digest, now: digest)
        }
        try recordLoadInProgress(store.read(slot: record.type).record ?? record)
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
