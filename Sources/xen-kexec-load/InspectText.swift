import KexecImage

/// The human-readable rendering of `inspect` results.
enum InspectText {
    /// The lines describing one result (a parsed image; errors go to stderr instead).
    static func lines(for r: InspectResult) -> [String] {
        guard let h = r.setupHeader, let d = r.derived, let kernel = r.kernel, let load = r.loadability else {
            return ["\(r.file): \(r.status.rawValue)" + (r.error.map { ": \($0.message)" } ?? "")]
        }
        var out = ["\(r.file): \(r.format ?? "?"), \(r.fileSize ?? 0) bytes"]
        func row(_ name: String, _ value: String) { out.append("  " + (name + ":").padded(to: 22) + value) }
        row("kernel", "file offset \(kernel.offset), \(kernel.size) bytes")
        if let initrd = r.initrd { row("initrd", "file offset \(initrd.offset), \(initrd.size) bytes") }
        if let cmdline = r.embeddedCommandLine { row("command line", "\"\(cmdline)\"") }
        if let uki = r.uki {
            row("UKI sections", uki.sections.joined(separator: " "))
            if let uname = uki.uname { row("UKI .uname", uname) }
            if let osrel = uki.osRelease {
                let pretty = osrel.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") } ?? osrel.split(separator: "\n").first ?? ""
                row("UKI .osrel", String(pretty))
            }
            row("UKI signature", uki.signed ? "signed (the UKI itself)" : "unsigned (the UKI itself)")
        }
        if let envelope = r.envelope {
            row("envelope sections", envelope.sections.filter { !$0.isEmpty }.joined(separator: " "))
        }
        row("boot protocol", "\(h.text("versionString")) (version \(h.text("version")))")
        row("setup_sects", "\(h.text("setup_sects")) (real-mode part \(d.text("kern16Size")) bytes\(d.flag("kern16IsPageMultiple") ? ", a 4 KiB multiple" : ""))")
        row("protected-mode part", "offset \(d.text("protectedModeOffset")), \(d.text("protectedModeSize")) bytes; 64-bit entry at +\(d.text("entry64Offset"))")
        row("loadflags", h.text("loadflags"))
        let names = h.text("xloadflagNames")
        row("xloadflags", "\(h.text("xloadflags")) \(names.isEmpty ? "(none)" : names)")
        row("kernel_alignment", "\(h.text("kernel_alignment")) (min_alignment 2^\(h.text("min_alignment")))")
        for key in ["relocatable_kernel", "pref_address", "init_size", "initrd_addr_max", "cmdline_size", "handover_offset", "kernel_info_offset"] {
            row(key, h.text(key))
        }
        if let pe = r.pe {
            row("PE/COFF", "\(pe.machineName) \(pe.format) (PE header at \(pe.peHeaderOffset)), sections \(pe.sections.map(\.name).joined(separator: " "))")
        } else {
            row("PE/COFF", "none (no EFI stub)")
        }
        if let s = r.signature {
            switch s.state {
            case "signed":
                row("signature", "signed: certificate table at \(s.certificateTableOffset ?? "?"), \(s.certificateTableSize ?? "?") bytes, "
                    + "WIN_CERTIFICATE revision \(s.certificateRevision ?? "?") type \(s.certificateType ?? "?") (\(s.certificateTypeName ?? "?"))")
            case "unsigned":
                row("signature", "unsigned (no Authenticode certificate table)")
            default:
                row("signature", "unsigned (no PE header)")
            }
        }
        func verdict(_ name: String, _ v: InspectResult.Verdict) {
            row(name, v.loadable ? "loadable" : "NOT loadable")
            for p in v.problems { out.append("    - \(p.message)") }
        }
        verdict("64-bit kexec", load.classic64)
        verdict("KEXEC_TYPE_CRASH_EFI", load.xenCrashEFI)
        for (name, value) in r.verification?.lines ?? [] { row(name, value) }
        return out
    }
}

extension String {
    /// The string padded with spaces to at least `width` characters.
    fileprivate func padded(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
