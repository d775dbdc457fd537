import KexecPlan
import KexecTrust
import SystemPackage

/// Where dom0 shows its lockdown state and the firmware's signature databases, under a root
/// that tests point at a scratch tree.
///
/// - `/sys/kernel/security/lockdown`: Linux `security/lockdown/lockdown.c` lists the modes
///   with the active one bracketed (`none [integrity] confidentiality`).
/// - efivarfs (`/sys/firmware/efi/efivars/NAME-GUID`): `db` and `dbx` (EFI_IMAGE_SECURITY_
///   DATABASE_GUID d719b2cb-…), shim's runtime mirrors `MokListRT` and `MokListXRT`
///   (SHIM_LOCK_GUID 605dab50-…). Under Xen, dom0 reaches them through Xen's runtime
///   services (Linux `drivers/xen/efi.c`).
public struct SecureBootSources: Sendable {
    public var root: FilePath

    public init(root: FilePath = "/") {
        self.root = root
    }

    static let imageSecurityGUID = "d719b2cb-3d3a-4596-a3bc-dad00e67656f"
    static let shimLockGUID = "605dab50-e046-4300-abb6-3dd810dd8b23"

    public var lockdownFile: FilePath { root.appending("sys/kernel/security/lockdown") }
    public var efivars: FilePath { root.appending("sys/firmware/efi/efivars") }

    /// The selected mode of the lockdown file without its brackets: Linux
    /// `security/lockdown/lockdown.c` (`lockdown_read`) brackets it, `none [integrity] confidentiality`.
    static func selectedLockdownMode(_ text: String) -> String? {
        for w in KernelCommandLineWords.split(text) where w.hasPrefix("[") && w.hasSuffix("]") {
            return String(w.dropFirst().dropLast())
        }
        return nil
    }

    /// Whether efivarfs shows any variable; on the live root an unmounted efivarfs is mounted
    /// first (only root runs the loader).
    func efivarsMounted() -> (readable: Bool, note: String) {
        if SystemCalls.hasEntries(efivars) { return (true, "") }
        guard root == "/", SystemCalls.isDirectory(efivars) else { return (false, "") }
        if let e = SystemCalls.mount(type: "efivarfs", at: efivars) { return (false, " (mounting it failed: \(e))") }
        return (SystemCalls.hasEntries(efivars), " (mounted by this tool)")
    }

    /// The allowed and forbidden databases, in the order they are consulted.
    static let allowed = [("db", imageSecurityGUID), ("MokListRT", shimLockGUID)]
    static let forbidden = [("dbx", imageSecurityGUID), ("MokListXRT", shimLockGUID)]

    /// EFI_VARIABLE_NON_VOLATILE and EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS (UEFI
    /// 2.10 §8.2): `db` and `dbx` are authenticated, non-volatile variables only the
    /// firmware's key holders can write. Shim creates `MokListRT`/`MokListXRT` as volatile
    /// mirrors (BOOTSERVICE_ACCESS | RUNTIME_ACCESS, no NON_VOLATILE), which no OS can have
    /// made before it ran unless it wrote a non-volatile variable of that name itself.
    static let nonVolatile: UInt32 = 0x1
    static let timeBasedAuthenticated: UInt32 = 0x20

    /// Why a database's attribute word makes it untrustworthy, or `nil`.
    static func attributeProblem(name: String, attributes: UInt32) -> String? {
        let word = "0x" + String(attributes, radix: 16)
        if name.hasPrefix("MokList") {
            return attributes & nonVolatile != 0 ? "attributes \(word) are non-volatile, but shim creates \(name) volatile: not shim's" : nil
        }
        let wanted = nonVolatile | timeBasedAuthenticated
        return attributes & wanted != wanted ? "attributes \(word) lack NON_VOLATILE | TIME_BASED_AUTHENTICATED_WRITE_ACCESS (0x21)" : nil
    }

    /// The trust store from efivarfs plus `certificates` (`--trust-cert`).
    ///
    /// Fails closed: a forbidden database (`dbx`, `MokListXRT`) that exists but cannot be
    /// read, does not parse or holds an entry this tool cannot evaluate is an error; on a
    /// UEFI host whose efivarfs is not mounted (and cannot be mounted here), the forbidden
    /// databases cannot be read at all, which is an error too. An allowed database whose
    /// attributes are wrong is not trusted (noted); a forbidden one is honoured anyway (it
    /// can only refuse). An absent database is noted.
    public func trustStore(certificates: [FilePath]) throws(KexecError) -> TrustStore {
        var store = TrustStore()
        let mounted = efivarsMounted()
        if !mounted.readable && SystemCalls.isDirectory(root.appending("sys/firmware/efi")) {
            throw .badConfiguration(efivars, "efivarfs is not mounted\(mounted.note), so dbx and MokListXRT (the revocation lists) cannot be read; mount it (mount -t efivarfs efivarfs \(efivars))")
        }
        for (name, guid) in Self.allowed + Self.forbidden {
            let forbidden = Self.forbidden.contains { $0.0 == name }
            let path = efivars.appending("\(name)-\(guid)")
            let bytes: [UInt8]
            do { bytes = try SystemCalls.readFile(path, limit: 16 << 20) } catch {
                if error == .noSuchFileOrDirectory || !mounted.readable {
                    store.note("\(name): absent (\(path))")
                    continue
                }
                if forbidden { throw .badConfiguration(path, "the revocation list \(name) exists but cannot be read (\(error))") }
                store.note("\(name): not readable at \(path) (\(error))")
                continue
            }
            let entries: [EFISignatureList.Entry]
            do { entries = try EFISignatureList.parse(efivarfsFile: bytes) } catch {
                throw .badConfiguration(path, "the \(name) signature database does not parse: \(error)")
            }
            let problem = EFISignatureList.attributes(efivarfsFile: bytes).flatMap { Self.attributeProblem(name: name, attributes: $0) }
            if forbidden {
                if let problem { store.note("\(name): \(problem); honoured anyway (a revocation list can only refuse)") }
                do { try store.forbid(entries, source: name) } catch { throw .badConfiguration(path, "\(error)") }
            } else if let problem {
                store.note("\(name): not trusted: \(problem)")
            } else {
                store.allow(entries, source: name)
            }
        }
        for path in certificates {
            let bytes: [UInt8]
            do { bytes = try SystemCalls.readFile(path, limit: 1 << 20) } catch {
                throw .fileUnavailable(path, error)
            }
            do {
                let found = try CertificateFile.certificates(bytes)
                guard !found.isEmpty else { throw CertificateFile.Unreadable(reason: "no certificate in the file") }
                for c in found { store.trust(c, source: "--trust-cert \(path)") }
            } catch {
                throw .badConfiguration(path, "--trust-cert: \(error)")
            }
        }
        return store
    }
}
