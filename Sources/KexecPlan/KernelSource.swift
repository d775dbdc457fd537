import KexecImage

/// The kernel inside the file the user named: for a plain (signed) bzImage the whole file;
/// for a UKI or an ELF envelope a range of it, with its embedded `.cmdline` and `.initrd`.
struct KernelSource {
    let bzImage: BzImage
    /// Where the bzImage lies in the image file.
    let kernelRange: Range<Int>
    let embeddedCommandLine: String?
    let embeddedInitrd: Range<Int>?

    static func open<Bytes: RandomAccessCollection>(_ image: Bytes) throws(PlanError) -> KernelSource
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let bz: BzImage
        do { bz = try BzImage.parse(image) } catch { throw .image(error) }
        return KernelSource(bzImage: bz, kernelRange: 0..<image.count, embeddedCommandLine: nil, embeddedInitrd: nil)
    }

    var header: SetupHeader { bzImage.header }
    var kern16: UInt64 { UInt64(bzImage.kern16Size) }
    /// `init_size` rounded up to whole pages.
    var initSizePages: UInt64 { Checked.pageUp(UInt64(header.initSize)) ?? UInt64(header.initSize) }
    var alignment: UInt64 { max(UInt64(header.kernelAlignment), Checked.page) }
    /// File range of the protected-mode part (what classic plans load).
    var protectedModeRange: Range<Int> { (kernelRange.lowerBound + bzImage.kern16Size)..<kernelRange.upperBound }
}
