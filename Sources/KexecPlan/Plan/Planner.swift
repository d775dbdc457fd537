import KexecImage

/// The planner: turns a kernel image, an optional initrd, the host's description and the
/// user's request into the `KexecLoadRequest` that Xen accepts. Every returned request has passed
/// `XenRules` for the hypervisors it targets; anything else is a `PlanError` that says what
/// to change.
///
/// The corresponding hypercall is `KEXEC_CMD_kexec_load`.
public enum Planner {
    /// Plans a load.
    ///
    /// - Parameters:
    ///   - image: the whole file the user named (bzImage, signed bzImage, UKI, ELF envelope:
    ///     `KernelImage` finds the kernel, `.initrd` and `.cmdline` in it). `[UInt8]` offline,
    ///     a view of the hypercall memory the file was read into in dom0; never copied.
    ///   - initrd: the initrd file, if any.
    ///   - host: the crash region, machine memory map, notes (`range --json` / the backend).
    ///   - request: load type, command line, hypervisor capabilities.
    ///   - rules: how one hypervisor profile's rules are applied (``XenRules/check(_:crashRegion:hypervisor:)``;
    ///     a unit test passes a wrapper that counts the calls).
    ///   - parsed: `image` already parsed (`KernelImage.parse(image)`, the load pipeline's one
    ///     parse, which the Secure Boot gate used too); `nil`: parsed here.
    public static func plan<Bytes: RandomAccessCollection & Sendable>(
        image: Bytes, initrd: Bytes?, host: HostDescription, request: PlanRequest,
        rules: XenRules.Check = XenRules.check, parsed: KernelImage? = nil
    ) throws(PlanError) -> KexecLoadRequest where Bytes.Element == UInt8, Bytes.Index == Int {
        try host.checkAddressWidth()
        if let rd = initrd, rd.isEmpty { throw .emptyInitrd }
        let kernel = try KernelSource.open(image, parsed: parsed)
        if let problem = AcpiRsdpCheck.problem(host) { throw .acpiRsdp(problem) }
        // The crash-efi header rules are Xen's entry rules; skipXenRules keeps only the
        // checks every 64-bit load needs.
        let intent: LoadIntent = request.type == .crashEFI && !request.skipXenRules ? .xenCrashEFI : .classic64
        let problems = kernel.bzImage.problems(for: intent, xenReadsUnalignedHeader: request.xenReadsUnalignedHeader)
        if !problems.isEmpty { throw .notLoadable(type: request.type, problems: problems) }

        let initrdSource: SegmentSource?
        if let rd = initrd {
            initrdSource = .file(.initrd, 0..<rd.count)
        } else if let embedded = kernel.embeddedInitrd {
            initrdSource = .file(.image, embedded)
        } else {
            initrdSource = nil
        }
        let inputs = LayoutInputs(
            image: image, kernel: kernel, initrd: initrdSource, host: host, request: request)

        var draft: PlanDraft
        switch request.type {
        case .crashEFI, .crash: draft = try CrashLayout.make(inputs)
        case .default: draft = try DefaultLayout.make(inputs)
        }
        if draft.segments.count >= XenRules.segmentMax { throw .tooManySegments(count: draft.segments.count) }

        var plan = KexecLoadRequest(
            type: request.type, entryMaddr: draft.entry, segments: draft.segments,
            commandLine: draft.commandLine, e820: draft.e820,
            crashRegion: request.type.isCrash ? host.crashRegion : nil, digest: [], kernelEntry: draft.kernelEntry)
        plan.digest = PlanDigest.hash(
            segments: &plan.segments, image: image, initrd: initrd, corruptPurgatoryDigest: request.corruptPurgatoryDigest,
            segmentDigests: request.segmentDigests)
        // Xen's own checks, for every hypervisor this plan is meant for, on the request as it
        // is sent (hashing fills only the purgatory's digest table and `sha256`).
        if !request.skipXenRules,
            let v = XenRules.firstViolation(
                plan, files: SegmentFiles(image: image, initrd: initrd), crashRegion: host.crashRegion,
                hypervisors: targetHypervisors(request), check: rules)
        {
            if v.errno == XenErrno.ENOMEM, let region = host.crashRegion {
                throw .crashRegionTooSmall(
                    region: region, needed: draft.neededBytes,
                    detail: "no free pages would be left for Xen's control and page-table pages (\(v.rule.rawValue) on \(v.hypervisor.name))")
            }
            throw .refusedByXen(v)
        }
        return plan
    }

    /// The hypervisors a plan of this request must satisfy.
    public static func targetHypervisors(_ request: PlanRequest) -> [XenHypervisor] {
        switch request.type {
        case .crashEFI:
            return request.xenReadsUnalignedHeader ? [.v2SeriesUnalignedHeader, .testXen] : [.v2Series, .testXen]
        case .crash, .default:
            return [.xen417, .v2Series]
        }
    }
}

/// What every layout reads.
struct LayoutInputs<Bytes: RandomAccessCollection> where Bytes.Element == UInt8, Bytes.Index == Int {
    let image: Bytes
    let kernel: KernelSource
    let initrd: SegmentSource?
    let host: HostDescription
    let request: PlanRequest

    var initrdSize: UInt64 { UInt64(initrd?.byteCount ?? 0) }
    /// The image's setup header bytes (for boot_params), as a slice of the kernel range.
    var kernelBytes: Bytes.SubSequence {
        let s = image.startIndex
        return image[(s + kernel.kernelRange.lowerBound)..<(s + kernel.kernelRange.upperBound)]
    }
}

/// A layout before hashing.
struct PlanDraft {
    var segments: [KexecSegment]
    var entry: UInt64
    var kernelEntry: UInt64
    var commandLine: String
    var e820: [MemoryRange]
    /// A lower bound of the crash region size this layout needs (for error messages).
    var neededBytes: UInt64
}
