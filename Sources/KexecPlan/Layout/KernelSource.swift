import KexecImage

/// The kernel inside the file the user named: for a plain (signed) bzImage the whole file;
/// for a UKI or an ELF envelope a range of it, with its embedded `.cmdline` and `.initrd`.
struct KernelSource {
    let bzImage: BzImage
    /// Where the bzImage lies in the image file.
    let kernelRange: Range<Int>
    let embeddedCommandLine: String?
    let embeddedInitrd: Range<Int>?

    static func open<Bytes: RandomAccessCollection>(_ image: Bytes, parsed: KernelImage? = nil) throws(PlanError) -> KernelSource
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let k: KernelImage
        if let parsed {
            k = parsed
        } else {
            do { k = try KernelImage.parse(image) } catch { throw .kernelImage(error) }
        }
        return KernelSource(
            bzImage: k.bzImage, kernelRange: k.kernelRange, embeddedCommandLine: k.embeddedCommandLine,
            embeddedInitrd: k.initrdRange)
    }

    var header: SetupHeader { bzImage.header }
    var kern16: UInt64 { UInt64(bzImage.kern16Size) }
    /// `init_size` rounded up to whole pages. `init_size` is a 32-bit field, so the sum
    /// cannot pass 2^64: no overflow case exists.
    var initSizePages: UInt64 { (UInt64(header.initSize) + (Checked.page - 1)) & ~(Checked.page - 1) }
    var alignment: UInt64 { max(UInt64(header.kernelAlignment), Checked.page) }
    /// File range of the protected-mode part (what classic plans load).
    var protectedModeRange: Range<Int> { (kernelRange.lowerBound + bzImage.kern16Size)..<kernelRange.upperBound }
}
