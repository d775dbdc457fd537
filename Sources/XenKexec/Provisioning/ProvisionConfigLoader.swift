import Logging
import SystemPackage

/// Reads and checks the defaults file; a missing file means every default.
public enum ProvisionConfigLoader {
    public static func load(_ path: FilePath) throws(KexecError) -> ProvisionConfig {
        let text: String
        do {
            text = try readText(path)
        } catch where error == .noSuchFileOrDirectory {
            text = ""
        } catch {
            throw .fileUnavailable(path, error)
        }
        do {
            return try ProvisionConfig.from(try DefaultsFile.parse(text))
        } catch let e as DefaultsFileError {
            throw .badConfiguration(path, e.description)
        } catch let e as ProvisionConfigError {
            throw .badConfiguration(path, e.description)
        } catch {
            throw .badConfiguration(path, "\(error)")
        }
    }

    /// Debian kdump-tools' defaults, or nil when the file is absent. A file whose
    /// `USE_KDUMP` is not 1 is noted and not used; lines that are not read are noted.
    public static func loadKdumpTools(_ path: FilePath, logger: Logger) throws(KexecError) -> KdumpToolsDefaults? {
        let text: String
        do {
            text = try readText(path)
        } catch where error == .noSuchFileOrDirectory {
            return nil
        } catch {
            throw .fileUnavailable(path, error)
        }
        let defaults: KdumpToolsDefaults
        do {
            defaults = try KdumpToolsDefaults.parse(text)
        } catch {
            throw .badConfiguration(path, error.description)
        }
        guard defaults.useKdump else {
            logger.notice("\(path): USE_KDUMP is not 1, so kdump-tools is off; its settings are not used (set XEN_KEXEC_KDUMP_TOOLS=no in /etc/default/xen-kexec-load to stop reading it)")
            return nil
        }
        for skipped in defaults.skippedLines {
            logger.notice("\(path): \(skipped.description); that line is not read (xen-kexec-load does not use it)")
        }
        if let args = defaults.kexecArguments {
            logger.warning("\(path): KDUMP_KEXEC_ARGS=\"\(args)\" is ignored: those are options of kexec-tools' kexec, which cannot load into Xen")
        }
        return defaults
    }

    /// The file's text, at most 1 MiB.
    static func readText(_ path: FilePath) throws(Errno) -> String {
        String(decoding: try HostFiles.read(path, limit: 1 << 20), as: UTF8.self)
    }
}
