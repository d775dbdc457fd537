import KexecImage

/// Builds the new kernel's command line from the user's request, an embedded command line
/// (a UKI's or envelope's `.cmdline`) and, for crash types, `elfcorehdr=` and, when the
/// host's ACPI RSDP is known, `acpi_rsdp=` (as kexec-tools' `kexec/arch/i386/crashdump-x86.c`
/// does; Linux `drivers/acpi/osl.c` reads it unless locked down).
///
/// Precedence: `--command-line` replaces the base; otherwise `--reuse-cmdline` (the running
/// kernel's line without `BOOT_IMAGE=` and `crashkernel=`) or else the embedded `.cmdline`;
/// then `--append`. Crash plans drop any `elfcorehdr=` the user gave and add their own, and
/// likewise `acpi_rsdp=` when the host's RSDP is known (change it with `--acpi-rsdp`).
/// The result must fit `cmdline_size` (setup header 0x238) bytes plus the NUL that boot_params'
/// `cmd_line_ptr` points at.
public enum KernelCommandLine {
    /// Parameters `--reuse-cmdline` drops from the running kernel's line (like kexec-tools).
    public static let droppedOnReuse = ["BOOT_IMAGE=", "crashkernel="]

    /// The running kernel's command line (`/proc/cmdline`) without the parameters a new kernel must not inherit.
    public static func reusable(_ running: String) -> [String] {
        KernelCommandLineWords.split(running).filter { p in !droppedOnReuse.contains { p.hasPrefix($0) } }
    }

    /// The final command line.
    ///
    /// - Parameters:
    ///   - embedded: the image's own `.cmdline` (UKI / envelope), if any.
    ///   - elfCoreHeader: for crash types, the ELF core header's address.
    ///   - acpiRsdp: for crash types, the host's ACPI RSDP, if known.
    ///   - lockdown: under the Secure Boot policy, the `lockdown=` level the new kernel must
    ///     run at (it replaces any `lockdown=` the request carries).
    ///   - maximum: the kernel's `cmdline_size`.
    public static func build(
        _ request: CommandLineRequest, embedded: String?, elfCoreHeader: UInt64?, acpiRsdp: UInt64? = nil,
        lockdown: LockdownLevel? = nil, maximum: Int
    ) throws(PlanError) -> String {
        var params: [String]
        if let replacement = request.replacement {
            params = KernelCommandLineWords.split(replacement)
        } else if let reuse = request.reuse {
            params = reusable(reuse)
        } else {
            params = KernelCommandLineWords.split(embedded ?? "")
        }
        if let append = request.append { params += KernelCommandLineWords.split(append) }
        if let addr = elfCoreHeader {
            params.removeAll { $0.hasPrefix("elfcorehdr=") }
            params.append("elfcorehdr=\(hex(addr))")
        }
        if let rsdp = acpiRsdp {
            params.removeAll { $0.hasPrefix("acpi_rsdp=") }
            params.append("acpi_rsdp=\(hex(rsdp))")
        }
        if let lockdown {
            params.removeAll { $0.hasPrefix("lockdown=") }
            params.append("lockdown=\(lockdown.rawValue)")
        }
        let line = params.joined(separator: " ")
        if line.utf8.contains(0) { throw .commandLineHasNUL }
        if line.utf8.count > maximum { throw .commandLineTooLong(length: line.utf8.count, maximum: maximum) }
        return line
    }
}

/// Splitting and joining Linux kernel command lines.
///
/// The kernel splits its command line at spaces outside double quotes
/// (`lib/cmdline.c` `next_arg`); a quoted value such as `foo="a b"` is one word.
public enum KernelCommandLineWords {
    /// Splits `line` into words, keeping double-quoted spans (quotes included) inside one word.
    public static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inQuotes = false
        for ch in line {
            if ch == "\"" { inQuotes.toggle() }
            if !inQuotes && (ch == " " || ch == "\t" || ch == "\n") {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The parameter name of a word: the part before `=` (the whole word for a flag).
    public static func key(of word: String) -> Substring {
        word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? Substring(word)
    }

    /// The value of a word after the first `=`, or nil for a flag.
    public static func value(of word: String) -> Substring? {
        let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 ? parts[1] : nil
    }

    /// Joins words with single spaces.
    public static func join(_ words: [String]) -> String { words.joined(separator: " ") }
}
