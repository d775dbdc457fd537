import Testing
@testable import KexecImage

/// UKIs and ELF envelopes built around synthetic kernels: ranges, command line, signature.
@Suite struct ContainerTests {
    let kernel = BzImageBuilder().bytes()
    let initrd: [UInt8] = Array("070701".utf8) + [UInt8](repeating: 0xA5, count: 300)

    @Test func ukiRangesAndText() throws {
        let uki = UKIBuilder(linux: kernel, initrd: initrd, cmdline: "console=hvc0 crashkernel=256M\n",
                             osrel: "ID=debian\nPRETTY_NAME=\"Debian\"\n", uname: "6.1.0-56-amd64")
        let bytes = uki.bytes()
        let image = try KernelImage.parse(bytes)
        #expect(image.format == .uki)
        let linuxAt = uki.rawOffset(of: 3)
        #expect(image.kernelRange == linuxAt..<(linuxAt + kernel.count))
        #expect(Array(bytes[image.kernelRange]) == kernel)
        let initrdRange = try #require(image.initrdRange)
        #expect(Array(bytes[initrdRange]) == initrd)
        #expect(image.embeddedCommandLine == "console=hvc0 crashkernel=256M")
        #expect(image.uki?.uname == "6.1.0-56-amd64")
        #expect(image.uki?.osRelease == "ID=debian\nPRETTY_NAME=\"Debian\"")
        // The signature reported is the kernel's own, not the (unsigned) UKI's.
        #expect(image.signature.isSigned)
        #expect(image.uki?.pe.isSigned == false)
        #expect(image.kernelCertificateRange.map { Array(bytes[$0]) } == Array(kernel[(kernel.count - 0x48)...]))
        #expect(image.bzImage.fileSize == kernel.count)
    }

    @Test func signedUKIWithoutInitrdOrCmdline() throws {
        var uki = UKIBuilder(linux: kernel)
        uki.signed = true
        let image = try KernelImage.parse(uki.bytes())
        #expect(image.format == .uki)
        #expect(image.initrdRange == nil && image.embeddedCommandLine == nil)
        #expect(image.uki?.pe.isSigned == true)
    }

    @Test func envelopeRangesAndCommandLine() throws {
        let env = ELFEnvelopeBuilder(kernel: kernel, initrd: initrd, cmdline: "console=ttyS0 quiet")
        let bytes = env.bytes()
        let image = try KernelImage.parse(bytes)
        #expect(image.format == .elfEnvelope)
        // The kernel starts right after the ELF header and 5 section headers (64 + 5 × 64).
        #expect(image.kernelRange == 384..<(384 + kernel.count))
        #expect(Array(bytes[image.kernelRange]) == kernel)
        #expect(image.initrdRange.map { Array(bytes[$0]) } == initrd)
        #expect(image.embeddedCommandLine == "console=ttyS0 quiet")
        #expect(image.envelope?.machine == 62)
        #expect(image.envelope?.sections.map(\.name) == ["", ".kernel", ".initrd", ".cmdline", ".shstrtab"])
        #expect(image.signature.isSigned)
        #expect(image.kernelCertificateRange?.upperBound == 384 + kernel.count)
    }

    @Test func envelopeAsTheSeedToolWritesIt() throws {
        // build_zboot_envelop.c writes EM_AARCH64 whatever the kernel; accepted, recorded.
        var env = ELFEnvelopeBuilder(kernel: kernel, cmdline: "")
        env.machine = 183
        let image = try KernelImage.parse(env.bytes())
        #expect(image.envelope?.machine == 183)
        #expect(image.embeddedCommandLine == "")
    }

    @Test func envelopeWithoutInitrdAndCmdline() throws {
        let image = try KernelImage.parse(ELFEnvelopeBuilder(kernel: kernel, initrd: nil, cmdline: nil).bytes())
        #expect(image.initrdRange == nil && image.embeddedCommandLine == nil)
    }

    @Test func emptyInitrdSectionMeansNoInitrd() throws {
        let image = try KernelImage.parse(ELFEnvelopeBuilder(kernel: kernel, initrd: []).bytes())
        #expect(image.initrdRange == nil)
    }

    @Test func parsesFromASliceWithNonZeroStartIndex() throws {
        let padded = [UInt8](repeating: 0xEE, count: 100) + UKIBuilder(linux: kernel, cmdline: "x").bytes()
        let image = try KernelImage.parse(padded[100...])
        #expect(image.format == .uki && image.embeddedCommandLine == "x")
        #expect(image.kernelRange.lowerBound == UKIBuilder(linux: kernel, cmdline: "x").rawOffset(of: 1))
    }
}
