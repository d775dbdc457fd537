// libFuzzer target: KernelImage.parse, the whole pipeline (format detection, container,
// inner bzImage and its PE headers), then every verdict and message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKernelImage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
    do {
        let image = try KernelImage.parse(bytes)
        precondition(image.kernelRange.upperBound <= size && image.kernelRange.lowerBound >= 0)
        if let initrd = image.initrdRange { precondition(initrd.upperBound <= size && initrd.lowerBound >= 0) }
        if let certificates = image.kernelCertificateRange { precondition(certificates.upperBound <= size) }
        for intent in LoadIntent.allCases {
            for problem in image.bzImage.problems(for: intent) { consume(problem.description, problem.field, problem.offset) }
        }
        consume(image.format.rawValue, image.embeddedCommandLine ?? "", image.signature.isSigned ? 1 : 0)
    } catch {
        consume(error.description, error.field, error.offset)
    }
    return 0
}
