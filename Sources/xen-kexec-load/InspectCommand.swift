import ArgumentParser
import FoundationEssentials
import KexecImage
import KexecTrust
import SystemPackage
import XenKexec

/// `xen-kexec-load inspect FILE…`: describe kernel images and whether they can be loaded.
///
/// Exit status: 0 when every file is a kernel a 64-bit loader can load; 66 (EX_NOINPUT)
/// when any file is missing or unreadable; otherwise 65 (EX_DATAERR) when any file is
/// malformed or not loadable. Every file gets a result; diagnostics go to stderr and name
/// the field and its file offset.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe kernel images (bzImage, signed bzImage, UKI, ELF envelope) and whether they can be loaded.",
        discussion: """
            For each FILE: the container format, the kernel's setup header, its PE/COFF headers \
            and Authenticode signature, an embedded initrd and command line, and two verdicts: \
            a 64-bit kexec load (KEXEC_TYPE_DEFAULT/CRASH) and Xen's KEXEC_TYPE_CRASH_EFI. \
            Each file's Secure Boot verdict (the Authenticode signature of the image Xen runs, a \
            UKI's .linux, against db, MokListRT and --trust-cert, with dbx and MokListXRT) and its \
            certificate chain are reported; they do not change the exit status. \
            Exit status: 0 if every file is loadable by a 64-bit loader, 65 if one is malformed \
            or not loadable, 66 if one is missing or unreadable.
            """
    )

    @Argument(help: "Kernel image files.")
    var files: [String]

    @Flag(help: "Print one JSON document (schemaVersion 1) with a result per file.")
    var json = false

    @Flag(help: "For the crash-efi verdict: the hypervisor reads segment 0's header at its in-page offset, so kern16 need not be a multiple of 4 KiB.")
    var xenReadsUnalignedHeader = false

    @Option(name: .customLong("trust-cert"), parsing: .singleValue,
            help: ArgumentHelp("For the Secure Boot verdict: also trust this certificate (PEM or DER); repeatable.", valueName: "file"),
            completion: .file())
    var trustCert: [String] = []

    #if XEN_KEXEC_TEST_HOOKS
    /// Debug builds only (the CLITests): the root, instead of `/`, under which db, dbx and
    /// MokListRT are read. Release builds have no such option (Package.swift).
    @Option(name: .customLong("sysfs-root"), help: .hidden)
    var sysfsRoot: String?
    #endif

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("inspect needs at least one FILE") }
    }

    func run() async throws {
        #if XEN_KEXEC_TEST_HOOKS
        let sources = (sysfsRoot.map { Dom0(root: FilePath($0)) } ?? .live).secureBoot
        #else
        let sources = Dom0.live.secureBoot
        #endif
        let store: TrustStore
        do { store = try sources.trustStore(certificates: trustCert.map { FilePath($0) }) } catch {
            let d = Diagnosis(error)
            StandardError.write("xen-kexec-load inspect: \(d.message)")
            throw d.exit.code
        }
        var results: [InspectResult] = []
        for file in files { results.append(await inspect(file, trust: store)) }
        if json {
            print(BackendJSON.encode(InspectDocument(results: results, secureBoot: SecureBootReport(sources.state()))))
        } else {
            for (index, result) in results.enumerated() where result.setupHeader != nil {
                if index > 0 { print("") }
                print(InspectText.lines(for: result).joined(separator: "\n"))
            }
        }
        for result in results { report(result) }
        let exit: ToolExit =
            results.contains { $0.status == .missing } ? .noInput
            : results.contains { $0.exitCode != .success } ? .dataError
            : .success
        if exit != .success { throw exit.code }
    }

    /// Reads and parses one file, and verifies the signature of the image Xen runs.
    private func inspect(_ path: String, trust: TrustStore) async -> InspectResult {
        let bytes: [UInt8]
        do { bytes = try InspectFileReader.read(path) } catch { return InspectResult(file: path, readFailure: error) }
        do {
            let image = try KernelImage.parse(bytes)
            var result = InspectResult(file: path, image: image, xenReadsUnalignedHeader: xenReadsUnalignedHeader)
            // What load --efi verifies: a UKI's own signature and its .linux's; an envelope's
            // bzImage; the kernel. The first refusal is the verdict.
            let parts = SecureBootGate.signedParts(bytes, parsed: image, initrd: nil, commandLineGiven: false)
            var verdict: KernelVerification?
            for part in parts {
                let v = await AuthenticodeVerifier.verify(image: part.bytes, parsedPE: part.pe, trust: trust)
                if verdict == nil || !v.isVerified { verdict = v }
                if !v.isVerified { break }
            }
            let checked = image.format == .uki ? "uki + .linux" : image.format == .elfEnvelope ? "envelope .kernel" : "kernel"
            result.verification = InspectVerification(
                verdict ?? .refused(.notPE("empty")), checked: checked, trustSources: trust.sources,
                notCovered: parts.flatMap(\.notCovered))
            return result
        } catch {
            return InspectResult(file: path, error: error)
        }
    }

    /// Writes a file's diagnostics to stderr.
    private func report(_ r: InspectResult) {
        let prefix = "xen-kexec-load inspect: \(r.file)"
        switch r.status {
        case .loadable:
            break
        case .missing, .malformed:
            guard let e = r.error else { return }
            let location = e.offset.map { " (field \(e.field) at offset \($0))" } ?? ""
            StandardError.write("\(prefix): \(r.status == .missing ? "" : "malformed \(r.format ?? "kernel image"): ")\(e.message)\(location)")
        case .unloadable:
            for p in r.loadability?.classic64.problems ?? [] {
                StandardError.write("\(prefix): not loadable by a 64-bit loader: \(p.message) (field \(p.field) at offset \(p.offset ?? "?"))")
            }
        }
    }
}
