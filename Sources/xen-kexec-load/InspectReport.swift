import KexecImage

/// The `inspect --json` document (schema version 1). Key names are stable: renaming or
/// removing one bumps `schemaVersion`; adding one does not. Offsets, addresses, sizes of
/// memory and flag words are `0x…` hex strings; counts are numbers.
struct InspectDocument: Encodable {
    let schemaVersion = 1
    let results: [InspectResult]
    /// Whether the Secure Boot policy applies on this host, and which source decided.
    var secureBoot: SecureBootReport? = nil
}

/// One input file's result.
struct InspectResult: Encodable {
    enum Status: String, Encodable {
        /// Parsed, and a 64-bit loader can load it (`problems(for: .classic64)` is empty).
        case loadable
        /// Parsed, but a 64-bit loader cannot load it (see `loadability.classic64.problems`).
        case unloadable
        /// Not a kernel image this tool can read (see `error`).
        case malformed
        /// Missing or unreadable file (see `error`).
        case missing
    }

    let file: String
    let status: Status
    var error: Problem? = nil
    var format: String? = nil
    var fileSize: Int? = nil
    var kernel: FileRange? = nil
    var initrd: FileRange? = nil
    var embeddedCommandLine: String? = nil
    var setupHeader: InspectFields? = nil
    var derived: InspectFields? = nil
    var pe: PE? = nil
    var signature: Signature? = nil
    var uki: UKI? = nil
    var envelope: Envelope? = nil
    var loadability: Loadability? = nil
    /// The Secure Boot verdict (``InspectVerification``).
    var verification: InspectVerification? = nil

    /// The exit status this file alone would give.
    var exitCode: ToolExit {
        switch status {
        case .loadable: .success
        case .unloadable, .malformed: .dataError
        case .missing: .noInput
        }
    }

    struct Problem: Encodable {
        let field: String
        let offset: String?
        let message: String
    }

    struct FileRange: Encodable {
        let offset: String
        let size: String
        let end: String
        init(_ r: Range<Int>) { offset = hex(r.lowerBound); size = hex(r.count); end = hex(r.upperBound) }
    }

    /// The setup header, keyed by the boot protocol's field names.
    static func header(_ h: SetupHeader) -> InspectFields {
        InspectFields(members: [
            "setup_sects": .number(Int(h.setupSects)), "syssize": .text(hex(h.syssize)),
            "boot_flag": .text(hex(h.bootFlag)), "header": .text(hex(h.header)),
            "version": .text(hex(h.version, digits: 4)), "versionString": .text(h.versionString),
            "loadflags": .text(hex(h.loadflags)), "code32_start": .text(hex(h.code32Start)),
            "initrd_addr_max": .text(hex(h.initrdAddrMax)), "kernel_alignment": .text(hex(h.kernelAlignment)),
            "relocatable_kernel": .number(Int(h.relocatableKernel)), "min_alignment": .number(Int(h.minAlignment)),
            "xloadflags": .text(hex(h.xloadflags.rawValue)), "xloadflagNames": .texts(h.xloadflags.names),
            "cmdline_size": .text(hex(h.cmdlineSize)), "hardware_subarch": .text(hex(h.hardwareSubarch)),
            "payload_offset": .text(hex(h.payloadOffset)), "payload_length": .text(hex(h.payloadLength)),
            "pref_address": .text(hex(h.prefAddress)), "init_size": .text(hex(h.initSize)),
            "handover_offset": .text(hex(h.handoverOffset)), "kernel_info_offset": .text(hex(h.kernelInfoOffset)),
        ])
    }

    /// Values a loader derives from the header (sizes and offsets within the kernel).
    static func derived(_ b: BzImage) -> InspectFields {
        InspectFields(members: [
            "kern16Size": .text(hex(b.kern16Size)), "protectedModeOffset": .text(hex(b.protectedModeOffset)),
            "protectedModeSize": .text(hex(b.protectedModeSize)), "entry64Offset": .text(hex(BzImage.entry64Offset)),
            "has64BitEntry": .flag(b.has64BitEntry), "loadableAbove4G": .flag(b.loadableAbove4G),
            "relocatable": .flag(b.isRelocatable), "kern16IsPageMultiple": .flag(b.kern16IsPageMultiple),
            "kernelAlignmentValidForXenEFI": .flag(b.kernelAlignmentValidForXenEFI),
        ])
    }

    /// PE/COFF headers; `offset` is the file offset of the PE image (the kernel's start).
    struct PE: Encodable {
        let offset: String
        let peHeaderOffset: String
        let machine: String
        let machineName: String
        let format: String
        let subsystem: Int
        let sizeOfImage: String
        let sections: [Section]

        struct Section: Encodable {
            let name: String
            let virtualSize: String
            let virtualAddress: String
            let sizeOfRawData: String
            let pointerToRawData: String
        }

        init(_ pe: PEImage, at base: Int) {
            offset = hex(base)
            peHeaderOffset = hex(base + pe.peHeaderOffset)
            machine = hex(pe.machine)
            machineName = pe.machineName
            format = pe.formatName
            subsystem = Int(pe.subsystem)
            sizeOfImage = hex(pe.sizeOfImage)
            sections = pe.sections.map {
                Section(name: $0.name, virtualSize: hex($0.virtualSize), virtualAddress: hex($0.virtualAddress),
                        sizeOfRawData: hex($0.sizeOfRawData), pointerToRawData: hex(base + Int($0.pointerToRawData)))
            }
        }
    }

    /// The kernel's Authenticode state; offsets are file offsets.
    struct Signature: Encodable {
        /// `"signed"`, `"unsigned"` (PE without certificate table) or `"no-pe-header"`.
        let state: String
        let signed: Bool
        var certificateTableOffset: String? = nil
        var certificateTableSize: String? = nil
        var certificateRevision: String? = nil
        var certificateType: String? = nil
        var certificateTypeName: String? = nil
        var certificateCount: Int? = nil

        init(_ signature: KernelSignature, kernelOffset: Int) {
            switch signature {
            case .noPEHeader:
                state = "no-pe-header"; signed = false
            case .unsigned:
                state = "unsigned"; signed = false
            case .signed(let t):
                state = "signed"; signed = true
                certificateTableOffset = hex(kernelOffset + t.offset)
                certificateTableSize = hex(t.size)
                certificateRevision = hex(t.revision)
                certificateType = hex(t.certificateType)
                certificateTypeName = t.certificateTypeName
                certificateCount = t.certificateCount
            }
        }
    }

    struct UKI: Encodable {
        let osRelease: String?
        let uname: String?
        let signed: Bool
        let sections: [String]
    }

    struct Envelope: Encodable {
        let machine: String
        let sections: [String]
    }

    struct Loadability: Encodable {
        let classic64: Verdict
        let xenCrashEFI: Verdict
    }

    struct Verdict: Encodable {
        let loadable: Bool
        let problems: [Problem]
        init(_ problems: [LoadabilityProblem]) {
            loadable = problems.isEmpty
            self.problems = problems.map { Problem(field: $0.field, offset: hex($0.offset), message: $0.description) }
        }
    }
}

extension InspectResult {
    /// The result for a parsed image.
    init(file: String, image: KernelImage, xenReadsUnalignedHeader: Bool) {
        let bz = image.bzImage
        let classic = bz.problems(for: .classic64)
        let efi = bz.problems(for: .xenCrashEFI, xenReadsUnalignedHeader: xenReadsUnalignedHeader)
        self.init(file: file, status: classic.isEmpty ? .loadable : .unloadable)
        format = image.format.rawValue
        fileSize = image.fileSize
        kernel = FileRange(image.kernelRange)
        initrd = image.initrdRange.map(FileRange.init)
        embeddedCommandLine = image.embeddedCommandLine
        setupHeader = Self.header(bz.header)
        derived = Self.derived(bz)
        pe = image.kernelPE.map { PE($0, at: image.kernelRange.lowerBound) }
        signature = Signature(image.signature, kernelOffset: image.kernelRange.lowerBound)
        uki = image.uki.map {
            UKI(osRelease: $0.osRelease, uname: $0.uname, signed: $0.pe.isSigned, sections: $0.pe.sections.map(\.name))
        }
        envelope = image.envelope.map { Envelope(machine: hex($0.machine), sections: $0.sections.map(\.name)) }
        loadability = Loadability(classic64: Verdict(classic), xenCrashEFI: Verdict(efi))
    }

    /// The result for a file that is not a readable kernel image.
    init(file: String, error: KernelImageError) {
        self.init(file: file, status: .malformed)
        self.error = Problem(field: error.field, offset: hex(error.offset), message: error.description)
    }

    /// The result for a file that cannot be read.
    init(file: String, readFailure: InspectFileReader.Failure) {
        self.init(file: file, status: .missing)
        self.error = Problem(field: "file", offset: nil, message: readFailure.message)
    }
}
