@testable import KexecImage

/// Builds synthetic bzImages with chosen setup-header values, optionally with the PE/COFF
/// header of an EFI-stub kernel (sections `.setup` and `.text`) and an Authenticode
/// certificate table appended. Defaults describe a loadable x86-64 kernel.
struct BzImageBuilder {
    var setupSects: UInt8 = 7            // kern16 = 4 KiB
    var version: UInt16 = 0x020F
    var bootFlag: UInt16 = 0xAA55
    var magic: UInt32 = 0x5372_6448
    var loadflags: UInt8 = 0x01
    var kernelAlignment: UInt32 = 0x20_0000
    var relocatable: UInt8 = 1
    var minAlignment: UInt8 = 21
    var xloadflags: UInt16 = 0x7F
    var cmdlineSize: UInt32 = 0x7FF
    var prefAddress: UInt64 = 0x100_0000
    var initSize: UInt32 = 0x40_0000
    var protectedModeSize = 0x1000
    /// `nil`: syssize matches the protected-mode size.
    var syssize: UInt32? = nil
    /// Give it the PE/COFF header of an EFI-stub kernel.
    var pe = true
    var peMachine: UInt16 = 0x8664
    var peMagic: UInt16 = 0x20B
    /// Append a certificate table of this many bytes (one WIN_CERTIFICATE); `nil`: unsigned.
    var certificateSize: Int? = 0x48
    var certificateType: UInt16 = 0x0002
    var certificateRevision: UInt16 = 0x0200

    /// Offset of "PE\0\0" in the built image.
    static let peOffset = 0x40
    /// Offset of the optional header.
    static var optionalHeaderOffset: Int { peOffset + 24 }
    /// Size of the optional header written (PE32+ with 6 data directories).
    static let optionalHeaderSize = 112 + 6 * 8
    /// Offset of the section table.
    static var sectionTableOffset: Int { optionalHeaderOffset + optionalHeaderSize }
    /// Offset of data directory 4 (the certificate table).
    static var certificateDirectoryOffset: Int { optionalHeaderOffset + 112 + 32 }

    var kern16Size: Int { (setupSects == 0 ? 4 : Int(setupSects)) * 512 + 512 }

    func bytes() -> [UInt8] {
        var w = ByteWriter(count: kern16Size + protectedModeSize)
        w.u8(0x1F1, setupSects)
        w.u32(0x1F4, syssize ?? UInt32(protectedModeSize / 16))
        w.u16(0x1FE, bootFlag)
        w.u16(0x200, 0x6AEB)
        w.u32(0x202, magic)
        w.u16(0x206, version)
        w.u8(0x210, 0)
        w.u8(0x211, loadflags)
        w.u32(0x214, 0x10_0000)
        w.u32(0x22C, 0x7FFF_FFFF)
        w.u32(0x230, kernelAlignment)
        w.u8(0x234, relocatable)
        w.u8(0x235, minAlignment)
        w.u16(0x236, xloadflags)
        w.u32(0x238, cmdlineSize)
        w.u64(0x258, prefAddress)
        w.u32(0x260, initSize)
        // Marks the protected-mode part so tests can check ranges.
        w.put("startup_32", at: kern16Size)
        guard pe else { return w.bytes }

        w.u16(0, 0x5A4D)
        w.u32(0x3C, UInt32(Self.peOffset))
        w.put("PE\0\0", at: Self.peOffset)
        w.u16(Self.peOffset + 4, peMachine)
        w.u16(Self.peOffset + 6, 2)
        w.u16(Self.peOffset + 20, UInt16(Self.optionalHeaderSize))
        w.u16(Self.peOffset + 22, 0x0206)
        let opt = Self.optionalHeaderOffset
        w.u16(opt, peMagic)
        w.u32(opt + 16, UInt32(kern16Size + 0x10))
        w.u32(opt + 56, UInt32(kern16Size + protectedModeSize + 0x1000))
        w.u32(opt + 60, 0x200)
        w.u16(opt + 68, 10)
        w.u32(opt + 108, 6)
        let sections: [(String, Int, Int)] = [(".setup", 0x200, kern16Size - 0x200), (".text", kern16Size, protectedModeSize)]
        for (i, (name, pointer, size)) in sections.enumerated() {
            let at = Self.sectionTableOffset + 40 * i
            w.put(name, at: at)
            w.u32(at + 8, UInt32(size))
            w.u32(at + 12, UInt32(pointer))
            w.u32(at + 16, UInt32(size))
            w.u32(at + 20, UInt32(pointer))
            w.u32(at + 36, 0x6000_0020)
        }
        if let size = certificateSize {
            let at = w.bytes.count
            var cert = ByteWriter(count: size)
            cert.u32(0, UInt32(size))
            cert.u16(4, certificateRevision)
            cert.u16(6, certificateType)
            for i in 8..<size { cert.u8(i, UInt8(truncatingIfNeeded: i)) }
            w.append(cert.bytes)
            w.u32(Self.certificateDirectoryOffset, UInt32(at))
            w.u32(Self.certificateDirectoryOffset + 4, UInt32(size))
        }
        return w.bytes
    }
}
