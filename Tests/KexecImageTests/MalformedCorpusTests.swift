import Testing
@testable import KexecImage
import KexecTestSupport

/// The malformed corpus: every case must give a typed error (or a loadability problem),
/// never a trap, and the error must name the field and its file offset.
@Suite struct MalformedCorpusTests {
    static let signedKernel = BzImageBuilder().bytes()
    static let plainKernel: [UInt8] = { var b = BzImageBuilder(); b.pe = false; return b.bytes() }()
    static let uki = UKIBuilder(linux: signedKernel, initrd: [1, 2, 3], cmdline: "quiet", osrel: "ID=x")
    static let envelope = ELFEnvelopeBuilder(kernel: signedKernel)

    /// Parses and expects an error with the given field and file offset.
    func expectError(_ bytes: [UInt8], field: String, offset: Int, _ match: (KernelImageError) -> Bool = { _ in true },
                     sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let image = try KernelImage.parse(bytes)
            Issue.record("expected an error for \(field) at \(hex(offset)), parsed a \(image.format)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
            #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation)
            #expect(match(error), "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(hex(offset)) || error.description.contains(field), sourceLocation: sourceLocation)
        }
    }

    // MARK: truncation

    @Test(arguments: [("signed bzImage", signedKernel), ("plain bzImage", plainKernel),
                      ("UKI", uki.bytes()), ("envelope", envelope.bytes())])
    func truncationAtEveryOffsetOfTheFirstKiB(name: String, bytes: [UInt8]) {
        for cut in 0...1024 {
            #expect(throws: KernelImageError.self, "\(name) cut at \(cut)") { try KernelImage.parse(bytes[0..<cut]) }
        }
    }

    @Test func truncationAtSectionBoundaries() throws {
        // bzImage: the real-mode part, PE section starts and ends, the certificate table.
        let kernel = Self.signedKernel
        let pe = try PEImage.parse(kernel)
        var cuts = [BzImageBuilder().kern16Size, kernel.count - 0x48, kernel.count - 0x48 + 7, kernel.count - 1]
        for s in pe.sections { cuts += [s.rawRange.lowerBound, s.rawRange.lowerBound + 1, s.rawRange.upperBound - 1] }
        for cut in cuts {
            #expect(throws: KernelImageError.self, "bzImage cut at \(hex(cut))") { try KernelImage.parse(kernel[0..<cut]) }
        }
        // UKI: every section's start, start + 1, payload end and raw end.
        let uki = Self.uki.bytes()
        for s in try PEImage.parse(uki).sections {
            for cut in [s.rawRange.lowerBound, s.rawRange.lowerBound + 1, s.payloadRange.upperBound - 1, s.rawRange.upperBound - 1] {
                #expect(throws: KernelImageError.self, "UKI cut at \(hex(cut))") { try KernelImage.parse(uki[0..<cut]) }
            }
        }
        // Envelope: every section's data start and end.
        let env = Self.envelope.bytes()
        for s in try ELFEnvelope.parse(env).sections where !s.fileRange.isEmpty {
            for cut in [s.fileRange.lowerBound, s.fileRange.lowerBound + 1, s.fileRange.upperBound - 1] {
                #expect(throws: KernelImageError.self, "envelope cut at \(hex(cut))") { try KernelImage.parse(env[0..<cut]) }
            }
        }
    }

    // MARK: setup header

    @Test func wrongBootFlag() {
        var b = BzImageBuilder(); b.bootFlag = 0x1234
        expectError(b.bytes(), field: "boot_flag", offset: 0x1FE) { $0 == .bzImage(.badBootFlag(found: 0x1234), kernelOffset: 0, container: .bzImage) }
    }

    @Test func wrongMagic() {
        var b = BzImageBuilder(); b.magic = 0x5372_6449
        expectError(b.bytes(), field: "header", offset: 0x202) { $0 == .bzImage(.badMagic(found: 0x5372_6449), kernelOffset: 0, container: .bzImage) }
    }

    @Test func setupSectsPastTheEnd() {
        var b = BzImageBuilder(); b.pe = false
        var w = ByteWriter(b.bytes())
        w.u8(0x1F1, 0xFF)
        expectError(w.bytes, field: "setup_sects", offset: 0x1F1) {
            $0 == .bzImage(.setupPastEnd(setupSects: 0xFF, kern16Size: 0x2_0000, fileSize: 0x2000), kernelOffset: 0, container: .bzImage)
        }
    }

    @Test func syssizePastTheEnd() {
        var b = BzImageBuilder(); b.syssize = 0xFFFF_FFFF; b.pe = false
        expectError(b.bytes(), field: "syssize", offset: 0x1F4)
    }

    // MARK: PE/COFF

    func patched(_ bytes: [UInt8], _ edit: (inout ByteWriter) -> Void) -> [UInt8] {
        var w = ByteWriter(bytes)
        edit(&w)
        return w.bytes
    }

    @Test func peOffsetPastTheEnd() {
        for lfanew: UInt32 in [0xFFFF_FFF0, UInt32(Self.signedKernel.count - 10), 0xFFFF_FFFF] {
            expectError(patched(Self.signedKernel) { $0.u32(0x3C, lfanew) }, field: "e_lfanew", offset: 0x3C)
        }
    }

    @Test func badPESignature() {
        expectError(patched(Self.signedKernel) { $0.u8(0x41, 0x46) }, field: "pe_signature", offset: 0x40)
    }

    @Test func badOptionalHeaderMagic() {
        expectError(patched(Self.signedKernel) { $0.u16(BzImageBuilder.optionalHeaderOffset, 0x107) },
                    field: "optional_header.Magic", offset: BzImageBuilder.optionalHeaderOffset)
    }

    @Test func optionalHeaderTooSmall() {
        expectError(patched(Self.signedKernel) { $0.u16(0x40 + 20, 100) }, field: "SizeOfOptionalHeader", offset: 0x40 + 20)
    }

    @Test func tooManyDataDirectories() {
        let at = BzImageBuilder.optionalHeaderOffset + 108
        expectError(patched(Self.signedKernel) { $0.u32(at, 0xFFFF_FFFF) }, field: "NumberOfRvaAndSizes", offset: at)
    }

    @Test func sectionTablePastTheEnd() {
        expectError(patched(Self.signedKernel) { $0.u16(0x40 + 6, 0xFFFF) }, field: "NumberOfSections", offset: 0x40 + 6)
    }

    @Test func oversizedSection() {
        let text = BzImageBuilder.sectionTableOffset + 40
        expectError(patched(Self.signedKernel) { $0.u32(text + 16, 0xFFFF_FFFF) }, field: "section.SizeOfRawData", offset: text + 16)
        expectError(patched(Self.signedKernel) { $0.u32(text + 20, 0xFFFF_FF00) }, field: "section.SizeOfRawData", offset: text + 16)
    }

    @Test func overlappingSections() {
        let text = BzImageBuilder.sectionTableOffset + 40
        expectError(patched(Self.signedKernel) { $0.u32(text + 20, 0x300) }, field: "section.PointerToRawData", offset: text + 20) {
            if case .pe(.sectionsOverlap(".setup", _, ".text", _), 0, .bzImage) = $0 { true } else { false }
        }
    }

    @Test func certificateTablePastTheEnd() {
        let dir = BzImageBuilder.certificateDirectoryOffset
        expectError(patched(Self.signedKernel) { $0.u32(dir + 4, 0x10_0000) }, field: "CertificateTable", offset: dir)
        expectError(patched(Self.signedKernel) { $0.u32(dir, 0xFFFF_FFF8) }, field: "CertificateTable", offset: dir)
        expectError(patched(Self.signedKernel) { $0.u32(dir + 4, 4) }, field: "CertificateTable", offset: dir)
    }

    @Test func badCertificateLength() {
        let at = Self.signedKernel.count - 0x48
        expectError(patched(Self.signedKernel) { $0.u32(at, 0x49) }, field: "WIN_CERTIFICATE.dwLength", offset: at)
        expectError(patched(Self.signedKernel) { $0.u32(at, 4) }, field: "WIN_CERTIFICATE.dwLength", offset: at)
    }

    // MARK: UKI

    @Test func ukiWithoutLinuxSection() {
        expectError(UKIBuilder(linux: nil, initrd: [1], cmdline: "quiet").bytes(), field: "section.Name", offset: 0) {
            $0 == .uki(.missingLinuxSection(sectionCount: 2))
        }
    }

    @Test func ukiWithEmptyLinux() {
        let header = UKIBuilder.sectionHeaderOffset(1)
        let bytes = patched(UKIBuilder(linux: Self.plainKernel, cmdline: "q").bytes()) { $0.u32(header + 8, 0) }
        expectError(bytes, field: ".linux.VirtualSize", offset: header + 8)
    }

    @Test func ukiWithDuplicateLinux() {
        var b = UKIBuilder(linux: Self.plainKernel)
        b.sections.append((".linux", Self.plainKernel))
        expectError(b.bytes(), field: "section.Name", offset: UKIBuilder.sectionHeaderOffset(1))
    }

    @Test func ukiLinuxNotABzImage() {
        let b = UKIBuilder(linux: [UInt8](repeating: 0x90, count: 0x800), cmdline: "q")
        expectError(b.bytes(), field: "boot_flag", offset: b.rawOffset(of: 1) + 0x1FE) {
            if case .bzImage(.badBootFlag, let at, .uki) = $0 { at == b.rawOffset(of: 1) } else { false }
        }
    }

    @Test func ukiLinuxSectionPastTheEnd() {
        let header = UKIBuilder.sectionHeaderOffset(1)
        let bytes = patched(UKIBuilder(linux: Self.plainKernel, cmdline: "q").bytes()) { $0.u32(header + 16, 0x1000_0000) }
        expectError(bytes, field: "section.SizeOfRawData", offset: header + 16)
    }

    /// Found by tools/fuzz (pe target): a section with SizeOfRawData 0 and PointerToRawData
    /// past the end gave an empty payload range outside the file, and slicing it trapped.
    @Test func emptySectionPointingPastTheEnd() {
        let header = UKIBuilder.sectionHeaderOffset(0)
        let bytes = patched(UKIBuilder(linux: Self.plainKernel, cmdline: "q").bytes()) {
            $0.u32(header + 16, 0)
            $0.u32(header + 20, 0x7FFF_0000)
        }
        expectError(bytes, field: "section.SizeOfRawData", offset: header + 16) {
            if case .pe(.sectionPastEnd(".cmdline", _, 0x7FFF_0000, 0, _), 0, .bzImage) = $0 { true } else { false }
        }
    }

    @Test func ukiCommandLineWithNULOrBadUTF8() {
        let b = UKIBuilder(linux: Self.plainKernel, cmdline: "quiet\0splash")
        expectError(b.bytes(), field: ".cmdline", offset: b.rawOffset(of: 0) + 5)
        var bad = UKIBuilder(linux: Self.plainKernel, cmdline: "x")
        bad.sections[0].data = [0x71, 0xFF, 0xFE]
        expectError(bad.bytes(), field: ".cmdline", offset: bad.rawOffset(of: 0))
    }

    @Test func ukiWithBrokenEFIStubInKernel() {
        var kernel = Self.signedKernel
        kernel[0x3C] = 0xF0; kernel[0x3D] = 0xFF; kernel[0x3E] = 0xFF; kernel[0x3F] = 0x7F
        let b = UKIBuilder(linux: kernel, cmdline: "q")
        expectError(b.bytes(), field: "e_lfanew", offset: b.rawOffset(of: 1) + 0x3C) {
            if case .pe(.peHeaderPastEnd, _, .uki) = $0 { true } else { false }
        }
    }

    // MARK: ELF envelope

    @Test func envelopeMissingKernel() {
        expectError(ELFEnvelopeBuilder(kernel: nil).bytes(), field: ".kernel", offset: 60) { $0 == .envelope(.missingSection(name: ".kernel")) }
    }

    @Test func envelopeKernelOutOfRange() {
        let cases: [(UInt64?, UInt64?)] = [(0x10_0000, nil), (nil, 0x10_0000), (UInt64.max, nil), (8, UInt64.max), (UInt64(Int.max), 2)]
        for (offset, size) in cases {
            var b = ELFEnvelopeBuilder(kernel: Self.signedKernel)
            b.sections[0].offset = offset
            b.sections[0].size = size
            expectError(b.bytes(), field: "sh_size", offset: ELFEnvelopeBuilder.headerOffset(1) + 32)
        }
    }

    @Test func envelopeKernelOverlapsHeadersOrInitrd() {
        var b = ELFEnvelopeBuilder(kernel: Self.signedKernel)
        b.sections[0].offset = 32
        expectError(b.bytes(), field: "sh_offset", offset: ELFEnvelopeBuilder.headerOffset(1) + 24)
        var c = ELFEnvelopeBuilder(kernel: Self.signedKernel)
        c.sections[1].offset = 384
        expectError(c.bytes(), field: "sh_offset", offset: ELFEnvelopeBuilder.headerOffset(2) + 24) {
            $0 == .envelope(.sectionsOverlap(name: ".initrd", headerOffset: ELFEnvelopeBuilder.headerOffset(2), other: ".kernel"))
        }
    }

    @Test func envelopeCommandLineNotTerminated() {
        var b = ELFEnvelopeBuilder(kernel: Self.signedKernel)
        b.sections[2].data = Array("quiet".utf8)
        let bytes = b.bytes()
        let range = try! ELFEnvelope.parse(ELFEnvelopeBuilder(kernel: Self.signedKernel, cmdline: "quie").bytes()).section(named: ".cmdline")!.fileRange
        expectError(bytes, field: ".cmdline", offset: range.upperBound - 1)
        var empty = ELFEnvelopeBuilder(kernel: Self.signedKernel)
        empty.sections[2].data = []
        #expect(throws: KernelImageError.self) { try KernelImage.parse(empty.bytes()) }
        var nul = ELFEnvelopeBuilder(kernel: Self.signedKernel)
        nul.sections[2].data = Array("a\0b\0".utf8)
        #expect(throws: KernelImageError.self) { try KernelImage.parse(nul.bytes()) }
    }

    @Test func envelopeHeaderFields() {
        var b = ELFEnvelopeBuilder(kernel: Self.signedKernel)
        b.phnum = 1
        expectError(b.bytes(), field: "e_phnum", offset: 56)
        b = ELFEnvelopeBuilder(kernel: Self.signedKernel); b.elfClass = 1
        expectError(b.bytes(), field: "EI_CLASS", offset: 4)
        b = ELFEnvelopeBuilder(kernel: Self.signedKernel); b.elfData = 2
        expectError(b.bytes(), field: "EI_DATA", offset: 5)
        b = ELFEnvelopeBuilder(kernel: Self.signedKernel); b.shentsize = 40
        expectError(b.bytes(), field: "e_shentsize", offset: 58)
        b = ELFEnvelopeBuilder(kernel: Self.signedKernel); b.shstrndx = 9
        expectError(b.bytes(), field: "e_shstrndx", offset: 62)
        b = ELFEnvelopeBuilder(kernel: Self.signedKernel); b.shstrndx = 1
        expectError(b.bytes(), field: "sh_type", offset: ELFEnvelopeBuilder.headerOffset(1) + 4)
        b = ELFEnvelopeBuilder(kernel: Self.signedKernel); b.shoff = 0xFFFF_FFFF_0000
        expectError(b.bytes(), field: "e_shoff", offset: 40)
        b = ELFEnvelopeBuilder(kernel: Self.signedKernel); b.sections[0].nameOffset = 0xFFFF
        expectError(b.bytes(), field: "sh_name", offset: ELFEnvelopeBuilder.headerOffset(1))
        b = ELFEnvelopeBuilder(kernel: Self.signedKernel); b.sections[0].name = String(repeating: "k", count: 300)
        expectError(b.bytes(), field: "sh_name", offset: ELFEnvelopeBuilder.headerOffset(1))
        b = ELFEnvelopeBuilder(kernel: Self.signedKernel); b.sections[0].type = 8
        expectError(b.bytes(), field: "sh_type", offset: ELFEnvelopeBuilder.headerOffset(1) + 4)
    }

    @Test func envelopeNoSectionsAndDuplicates() {
        var w = ByteWriter(ELFEnvelopeBuilder(kernel: Self.signedKernel).bytes())
        w.u16(60, 0)
        expectError(w.bytes, field: "e_shnum", offset: 60)
        var b = ELFEnvelopeBuilder(kernel: Self.signedKernel)
        b.sections.append(.init(name: ".kernel", data: Self.plainKernel))
        expectError(b.bytes(), field: ".kernel", offset: ELFEnvelopeBuilder.headerOffset(4))
    }

    @Test func envelopeKernelNotABzImage() {
        expectError(ELFEnvelopeBuilder(kernel: [UInt8](repeating: 0, count: 0x400)).bytes(), field: "boot_flag", offset: 384 + 0x1FE) {
            if case .bzImage(.badBootFlag, 384, .elfEnvelope) = $0 { true } else { false }
        }
    }

    @Test func vmlinuxLikeELFIsRejected() {
        var b = ELFEnvelopeBuilder(kernel: nil, initrd: nil, cmdline: nil)
        b.phnum = 3
        expectError(b.bytes(), field: "e_phnum", offset: 56)
    }

    // MARK: random mutations (a small in-test fuzz; the libFuzzer targets go further)

    @Test(arguments: [("signed bzImage", signedKernel), ("UKI", uki.bytes()), ("envelope", envelope.bytes())])
    func randomMutationsNeverTrap(name: String, seed: [UInt8]) {
        var rng = SplitMix64(seed: 0x5EED_0000 &+ UInt64(seed.count))
        var parsed = 0
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(min(bytes.count, 0x600)))
                bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            if (try? KernelImage.parse(bytes)) != nil { parsed += 1 }
        }
        #expect(parsed > 0, "\(name): some mutations leave the image valid")
    }
}
