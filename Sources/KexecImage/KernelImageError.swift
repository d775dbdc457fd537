/// Why a kernel file cannot be read, in whichever container it came. Each case wraps the
/// error of one format; `field`, `offset` (a file offset) and `description` name the
/// field, where it is in the file and what was expected.
public enum KernelImageError: Error, Equatable, Sendable {
    /// The kernel at file offset `kernelOffset` (0 for a plain bzImage; the section payload
    /// in a container) is not a bzImage. The wrapped offsets are relative to the kernel.
    case bzImage(BzImageError, kernelOffset: Int, container: KernelImage.Format)
    /// The PE/COFF headers of the image at file offset `imageOffset` are malformed (a UKI's
    /// headers at 0, or an EFI-stub kernel's own). The wrapped offsets are relative to it.
    case pe(PEError, imageOffset: Int, container: KernelImage.Format)
    /// A PE with a `.linux` section whose UKI sections are unusable (file offsets).
    case uki(UKIError)
    /// An ELF envelope that is malformed (file offsets).
    case envelope(ELFEnvelopeError)

    /// The offending field's name.
    public var field: String {
        switch self {
        case .bzImage(let e, _, _): e.field
        case .pe(let e, _, _): e.field
        case .uki(let e): e.field
        case .envelope(let e): e.field
        }
    }

    /// The offending field's offset in the file.
    public var offset: Int {
        switch self {
        case .bzImage(let e, let base, _): base + e.offset
        case .pe(let e, let base, _): base + e.offset
        case .uki(let e): e.offset
        case .envelope(let e): e.offset
        }
    }
}

extension KernelImageError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .bzImage(let e, 0, _):
            "\(e)"
        case .bzImage(let e, let base, let container):
            "the kernel in the \(container.kernelSectionName) section at file offset \(hex(base)): \(e) (offsets relative to the kernel; file offset \(hex(base + e.offset)))"
        case .pe(let e, 0, _):
            "PE/COFF header: \(e)"
        case .pe(let e, let base, let container):
            "PE/COFF header of the kernel in the \(container.kernelSectionName) section at file offset \(hex(base)): \(e) (offsets relative to the kernel; file offset \(hex(base + e.offset)))"
        case .uki(let e):
            "\(e)"
        case .envelope(let e):
            "\(e)"
        }
    }
}

extension KernelImage.Format {
    /// The section a container keeps its kernel in (`"file"` for a plain bzImage).
    public var kernelSectionName: String {
        switch self {
        case .bzImage: "file"
        case .uki: UnifiedKernelImage.linuxSection
        case .elfEnvelope: ELFEnvelope.kernelSection
        }
    }
}
