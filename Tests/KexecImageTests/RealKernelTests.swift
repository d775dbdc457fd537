import Foundation
import Testing
@testable import KexecImage

/// Exact header values of the pinned Debian kernels, read once from the files (see
/// Tests/Fixtures/README.md), and invariants for every kernel in the cache.
@Suite struct RealKernelTests {
    @Test func signedAmd64ExactValues() throws {
        let bytes = try TestKernels.load(TestKernels.amd64)
        let image = try KernelImage.parse(bytes)
        #expect(image.format == .bzImage)
        #expect(image.fileSize == 8_247_232)
        #expect(image.kernelRange == 0..<8_247_232)
        #expect(image.initrdRange == nil && image.embeddedCommandLine == nil)
        let h = image.bzImage.header
        #expect(h.setupSects == 39)
        #expect(image.bzImage.kern16Size == 0x5000)
        #expect(h.version == 0x020F)
        #expect(h.kernelAlignment == 0x20_0000)
        #expect(h.initSize == 0x3F9_8000)
        #expect(h.xloadflags.rawValue == 0x7F)
        #expect(h.syssize == 0x7_D820)
        #expect(h.relocatableKernel == 1 && h.minAlignment == 21)
        #expect(h.prefAddress == 0x100_0000)
        #expect(h.cmdlineSize == 0x7FF)
        #expect(h.handoverOffset == 0x7C_8DB0)
        #expect(h.kernelInfoOffset == 0x7D_579C)
        let pe = try #require(image.kernelPE)
        #expect(pe.machine == PEImage.machineAMD64 && pe.optionalHeaderMagic == 0x20B)
        #expect(pe.peHeaderOffset == 0x40)
        #expect(pe.sections.map(\.name) == [".setup", ".compat", ".text", ".data"])
        guard case .signed(let table) = image.signature else {
            Issue.record("expected a signed kernel, got \(image.signature)")
            return
        }
        #expect(table.offset == 0x7D_D200)
        #expect(table.size == 0x5C0)
        #expect(table.revision == 0x0200 && table.certificateType == 0x0002 && table.isPKCS7SignedData)
        #expect(table.certificateCount == 1)
        #expect(image.kernelCertificateRange == 0x7D_D200..<8_247_232)
        #expect(image.bzImage.problems(for: .classic64).isEmpty)
        #expect(image.bzImage.problems(for: .xenCrashEFI).isEmpty)
    }

    @Test func signedCloudAmd64ExactValues() throws {
        let bytes = try TestKernels.load(TestKernels.cloudAmd64)
        let image = try KernelImage.parse(bytes)
        #expect(image.fileSize == 14_186_432)
        let h = image.bzImage.header
        #expect(h.setupSects == 39)
        #expect(h.version == 0x020F)
        #expect(h.kernelAlignment == 0x20_0000)
        #expect(h.initSize == 0x337_8000)
        #expect(h.xloadflags.rawValue == 0x7F)
        guard case .signed(let table) = image.signature else {
            Issue.record("expected a signed kernel, got \(image.signature)")
            return
        }
        #expect(table.offset == 0xD8_7200)
        #expect(table.size == 0x5C0)
        #expect(table.certificateType == 0x0002)
        #expect(image.bzImage.problems(for: .classic64).isEmpty)
    }

    @Test func i686IsNotLoadableBy64BitLoader() throws {
        let bytes = try TestKernels.load(TestKernels.i686)
        let image = try KernelImage.parse(bytes)
        #expect(image.fileSize == 5_707_712)
        let h = image.bzImage.header
        #expect(h.setupSects == 39)
        #expect(h.version == 0x020F)
        #expect(h.kernelAlignment == 0x100_0000)
        #expect(h.initSize == 0x100_C000)
        #expect(h.xloadflags.rawValue == 0x04)
        #expect(!image.bzImage.has64BitEntry)
        let pe = try #require(image.kernelPE)
        #expect(pe.machine == PEImage.machineI386 && pe.optionalHeaderMagic == 0x10B)
        guard case .signed(let table) = image.signature else {
            Issue.record("expected a signed kernel, got \(image.signature)")
            return
        }
        #expect(table.offset == 0x57_1200 && table.size == 0x5C0)
        let problems = image.bzImage.problems(for: .classic64)
        #expect(problems.contains(.no64BitEntry(xloadflags: 0x04)))
        #expect(problems.contains(.notLoadableAbove4G(xloadflags: 0x04)))
        #expect(problems.allSatisfy { $0.offset == 0x236 && $0.field == "xloadflags" })
    }

    /// Truncating a real kernel at each structural boundary gives a typed error.
    @Test func realKernelTruncatedAtBoundaries() throws {
        let bytes = try TestKernels.load(TestKernels.amd64)
        let image = try KernelImage.parse(bytes)
        let pe = try #require(image.kernelPE)
        var cuts = [0x3C, 0x40, 0x1F1, 0x1FE, 0x202, 0x268, image.bzImage.kern16Size]
        for s in pe.sections { cuts += [s.rawRange.lowerBound, s.rawRange.lowerBound + 1, s.rawRange.upperBound - 1] }
        cuts += [0x7D_D200, 0x7D_D200 + 4, bytes.count - 1]
        for cut in cuts {
            #expect(throws: KernelImageError.self, "cut at \(hex(cut))") { try KernelImage.parse(bytes[0..<cut]) }
        }
    }

    @Test(arguments: TestKernels.allCachedKernels())
    func invariantsOfEveryCachedKernel(path: String) throws {
        let data = try #require(FileManager.default.contents(atPath: path), "cannot read \(path)")
        let bytes = [UInt8](data)
        let image = try KernelImage.parse(bytes)
        let bz = image.bzImage
        let h = bz.header
        #expect(image.format == .bzImage && image.kernelRange == 0..<bytes.count)
        #expect(h.bootFlag == 0xAA55 && h.header == SetupHeader.magic)
        #expect(h.version >= 0x020C)
        #expect(bz.kern16Size == (Int(h.setupSects == 0 ? 4 : h.setupSects) + 1) * 512)
        #expect(bz.protectedModeSize > 0)
        #expect(Int(h.syssize) * 16 <= bz.protectedModeSize)
        #expect(h.kernelAlignment != 0 && h.kernelAlignment & (h.kernelAlignment - 1) == 0)
        #expect(Int(h.initSize) >= bz.protectedModeSize)
        if let pe = image.kernelPE {
            #expect((pe.machine == PEImage.machineAMD64) == bz.has64BitEntry, "PE machine vs XLF_KERNEL_64 in \(path)")
            if let cert = image.kernelCertificateRange { #expect(cert.upperBound <= bytes.count) }
        }
        if bz.has64BitEntry {
            #expect(bz.problems(for: .classic64).isEmpty, "\(path): \(bz.problems(for: .classic64))")
        } else {
            #expect(bz.problems(for: .classic64).contains(.no64BitEntry(xloadflags: h.xloadflags.rawValue)))
        }
    }

    @Test func everyPinnedKernelIsInTheCache() throws {
        let cached = Set(TestKernels.allCachedKernels())
        for kernel in TestKernels.pinned where !cached.contains(kernel.filePath) {
            Issue.record(Comment(rawValue: TestKernels.Missing(kernel: kernel).description))
        }
    }
}
