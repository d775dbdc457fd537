import ArgumentParser
import KexecImage
import KexecPlan
import Logging
import SystemPackage
import XenKexec

/// `xen-kexec-load estimate`: the `crashkernel=` size for Xen's command line
/// (``CrashReservationEstimate``).
struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Recommend the crash region size (crashkernel= on Xen's command line).",
        discussion: """
            Adds up what the crash kernel needs: the kernel's init_size, the initrd file and its \
            unpacked contents (cpio walked, gzip and zstd sizes read from the file), 64 MiB of \
            runtime, makedumpfile's bitmaps for the host's RAM, the loader's segments and \
            struct page for the region itself; rounds up to 16 MiB and prints each part with \
            how it was found. Without --kernel, the kernel and initrd `provision` would arm \
            (the defaults file, kdump-tools' settings, the running kernel). Without --host-ram, \
            the RAM in Xen's machine memory map (dom0, root). The result belongs on Xen's \
            command line (e.g. GRUB_CMDLINE_XEN_DEFAULT); dom0's own crashkernel= reserves \
            nothing under Xen. Exit status as for plan: 65 malformed kernel, 66 missing file.
            """)

    @Option(help: "The crash kernel (default: what provision would arm).", completion: .file())
    var kernel: String?

    @Option(help: "Its initrd (default: what provision would arm with that kernel).", completion: .file())
    var initrd: String?

    @Flag(name: .customLong("no-initrd"), help: "The crash kernel boots without an initrd.")
    var noInitrd = false

    @Option(name: .customLong("host-ram"), help: ArgumentHelp("The host's RAM, e.g. 64G (default: Xen's machine memory map).", valueName: "SIZE"))
    var hostRam: String?

    @Option(help: "The defaults file, read when --kernel is not given.", completion: .file())
    var config: String = "/etc/default/xen-kexec-load"

    @Option(name: .customLong("kdump-tools-config"), help: "Debian kdump-tools' defaults file, used when present.", completion: .file())
    var kdumpToolsConfig: String = KdumpToolsDefaults.path

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let r = hostRam, CrashRegion.parseSize(r) == nil { throw ValidationError("--host-ram \(r): expected a size such as 16G or 512M") }
        if noInitrd && initrd != nil { throw ValidationError("give --initrd or --no-initrd, not both") }
    }

    func run() throws {
        try common.run { (logger: Logger) throws(KexecError) in
            let (kernelPath, initrdPath) = try inputs(logger)
            let kernelBytes: [UInt8]
            do throws(Errno) { kernelBytes = try HostFiles.read(kernelPath) } catch { throw .fileUnavailable(kernelPath, error) }
            let image: KernelImage
            do throws(KernelImageError) { image = try KernelImage.parse(kernelBytes) } catch { throw .plan(.kernelImage(error)) }
            var initrdSize: InitramfsSize?
            if let p = initrdPath {
                let bytes: [UInt8]
                do throws(Errno) { bytes = try HostFiles.read(p) } catch { throw .fileUnavailable(p, error) }
                do {
                    initrdSize = try InitramfsSize.measure(bytes)
                } catch {
                    logger.warning("\(p): \(error); all of it counts as compressed data of unknown size")
                    initrdSize = InitramfsSize(fileSize: UInt64(bytes.count), unpackedKnown: 0, unsized: (UInt64(bytes.count), "unknown"))
                }
            }
            let ram = try hostRAM()
            let e = CrashReservationEstimate.estimate(kernel: image.bzImage.header, initrd: initrdSize, hostRAM: ram)
            if common.json {
                Output.json(PlanJSON.encode(EstimateJSON(e, kernel: kernelPath, initrd: initrdPath, hostRAM: ram)))
            } else {
                for line in Self.text(e, kernel: kernelPath, initrd: initrdPath, hostRAM: ram) { Output.line(line) }
            }
        }
    }

    /// `--kernel`/`--initrd`, else what `provision` would arm.
    func inputs(_ logger: Logger) throws(KexecError) -> (FilePath, FilePath?) {
        if let k = kernel { return (FilePath(k), noInitrd ? nil : initrd.map { FilePath($0) }) }
        let config = try ProvisionConfigLoader.load(FilePath(config))
        let kdump = config.useKdumpTools ? try ProvisionConfigLoader.loadKdumpTools(FilePath(kdumpToolsConfig), logger: logger) : nil
        let plan = ProvisionPlan(config, kdumpTools: kdump, facts: .current(xenCommandLine: nil))
        let chosenInitrd = noInitrd ? nil : (initrd ?? plan.initrd)
        return (FilePath(plan.kernel), chosenInitrd.map { FilePath($0) })
    }

    /// `--host-ram`, else the RAM ranges of `XENMEM_machine_memory_map`.
    func hostRAM() throws(KexecError) -> UInt64 {
        if let r = hostRam, let v = CrashRegion.parseSize(r) { return v }
        let map: [MemoryRange]
        let hypervisor = try common.openHypervisor()
        do throws(HypercallFailure) { map = try hypervisor.machineMemoryMap() } catch { throw ErrnoClassification.classify(error) }
        return map.filter(\.isRAM).reduce(0) { $0 + $1.range.size }
    }

    static func text(_ e: CrashReservationEstimate, kernel: FilePath, initrd: FilePath?, hostRAM: UInt64) -> [String] {
        var lines = ["crash kernel: \(kernel)", "initrd: \(initrd?.string ?? "none")", "host RAM: \(humanSize(hostRAM))"]
        for p in e.parts { lines.append("  \(p.name): \(CrashReservationEstimate.mb(p.bytes)) (\(p.how))") }
        lines.append("recommended: \(e.xenOption) on Xen's command line (GRUB_CMDLINE_XEN_DEFAULT)")
        if let k = CrashReservationEstimate.kdumpctlDefault(hostRAM: hostRAM) {
            lines.append("(kdumpctl's bare-metal default for this RAM: \(humanSize(k)))")
        }
        return lines
    }
}

/// `estimate --json`.
struct EstimateJSON: Encodable {
    struct Part: Encodable { var name: String, bytes: UInt64, how: String }
    var schemaVersion = PlanJSON.schemaVersion
    var kernel: String
    var initrd: String?
    var hostRam: UInt64
    var parts: [Part]
    var bytes: UInt64
    var xenOption: String
    var kdumpctlDefault: UInt64?

    init(_ e: CrashReservationEstimate, kernel: FilePath, initrd: FilePath?, hostRAM: UInt64) {
        self.kernel = kernel.string
        self.initrd = initrd?.string
        hostRam = hostRAM
        parts = e.parts.map { Part(name: $0.name, bytes: $0.bytes, how: $0.how) }
        bytes = e.total
        xenOption = e.xenOption
        kdumpctlDefault = CrashReservationEstimate.kdumpctlDefault(hostRAM: hostRAM)
    }
}
