import Testing
@testable import KexecImage

/// bzImages built with chosen header values: what parsing reads and what the verdicts say.
@Suite struct BzImageSyntheticTests {
    @Test func chosenHeaderValuesRoundTrip() throws {
        var b = BzImageBuilder()
        b.setupSects = 15
        b.kernelAlignment = 0x40_0000
        b.initSize = 0x123_4000
        b.xloadflags = 0x13
        b.minAlignment = 22
        b.prefAddress = 0x200_0000
        let bytes = b.bytes()
        let image = try KernelImage.parse(bytes)
        let h = image.bzImage.header
        #expect(h.setupSects == 15 && image.bzImage.kern16Size == 0x2000)
        #expect(h.kernelAlignment == 0x40_0000 && h.initSize == 0x123_4000)
        #expect(h.xloadflags == [.kernel64, .canBeLoadedAbove4G, .efiKexec])
        #expect(h.xloadflags.names == ["XLF_KERNEL_64", "XLF_CAN_BE_LOADED_ABOVE_4G", "XLF_EFI_KEXEC"])
        #expect(h.minAlignment == 22 && h.prefAddress == 0x200_0000)
        #expect(image.bzImage.protectedModeOffset == 0x2000)
        #expect(image.bzImage.problems(for: .classic64).isEmpty)
        #expect(image.bzImage.problems(for: .xenCrashEFI).isEmpty)
    }

    @Test func setupSectsZeroMeansFour() throws {
        var b = BzImageBuilder()
        b.setupSects = 0
        b.pe = false
        let image = try BzImage.parse(b.bytes())
        #expect(image.kern16Size == 5 * 512)
        #expect(image.problems(for: .xenCrashEFI) == [.kern16NotPageMultiple(kern16Size: 2560)])
        #expect(image.problems(for: .xenCrashEFI, xenReadsUnalignedHeader: true).isEmpty)
    }

    @Test func signatureStates() throws {
        var b = BzImageBuilder()
        #expect(try KernelImage.parse(b.bytes()).signature.isSigned)
        b.certificateSize = nil
        #expect(try KernelImage.parse(b.bytes()).signature == .unsigned)
        b.pe = false
        #expect(try KernelImage.parse(b.bytes()).signature == .noPEHeader)
    }

    @Test func certificateTableDetails() throws {
        var b = BzImageBuilder()
        b.certificateSize = 0x50
        b.certificateType = 0x0001
        b.certificateRevision = 0x0100
        let bytes = b.bytes()
        let image = try KernelImage.parse(bytes)
        guard case .signed(let table) = image.signature else { Issue.record("not signed"); return }
        #expect(table.offset == bytes.count - 0x50 && table.size == 0x50)
        #expect(table.certificateType == 1 && table.revision == 0x100 && !table.isPKCS7SignedData)
        #expect(table.certificateTypeName == "X.509")
    }

    @Test func protocolBelow202IsReportedNotLoadable() throws {
        var b = BzImageBuilder()
        b.version = 0x0201
        let image = try KernelImage.parse(b.bytes())
        // Fields newer than 2.01 read as the protocol's defaults.
        #expect(image.bzImage.header.xloadflags.rawValue == 0 && image.bzImage.header.initSize == 0)
        let problems = image.bzImage.problems(for: .classic64)
        #expect(problems.contains(.protocolTooOld(version: 0x0201, minimum: 0x020C)))
        #expect(problems.first?.offset == 0x206)
    }

    @Test(arguments: [UInt32(0), 3, 0x20_0001, 0x30_0000])
    func badKernelAlignmentIsAProblem(alignment: UInt32) throws {
        var b = BzImageBuilder()
        b.kernelAlignment = alignment
        let image = try KernelImage.parse(b.bytes())
        let classic = image.bzImage.problems(for: .classic64)
        #expect(classic == [.kernelAlignmentNotPowerOfTwo(alignment)])
        #expect(classic.allSatisfy { $0.field == "kernel_alignment" && $0.offset == 0x230 })
        #expect(image.bzImage.problems(for: .xenCrashEFI).contains(.kernelAlignmentInvalidForXenEFI(alignment)))
    }

    @Test func thirtyTwoBitKernelIsNotLoadable() throws {
        var b = BzImageBuilder()
        b.xloadflags = 0x04
        b.peMachine = 0x14C
        let problems = try KernelImage.parse(b.bytes()).bzImage.problems(for: .classic64)
        #expect(problems == [.no64BitEntry(xloadflags: 4), .notLoadableAbove4G(xloadflags: 4)])
    }

    @Test func notLoadedHighAndNotRelocatable() throws {
        var b = BzImageBuilder()
        b.loadflags = 0
        b.relocatable = 0
        let image = try KernelImage.parse(b.bytes())
        #expect(image.bzImage.problems(for: .classic64) == [.notLoadedHigh(loadflags: 0)])
        #expect(image.bzImage.problems(for: .xenCrashEFI).contains(.notRelocatable))
    }
}
