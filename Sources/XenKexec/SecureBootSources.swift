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

    /// The allowed and forbidden databases, in the order they are consulted.
    static let allowed = [("db", imageSecurityGUID), ("MokListRT", shimLockGUID)]
    static let forbidden = [("dbx", imageSecurityGUID), ("MokListXRT", shimLockGUID)]

    /// The selected lockdown mode (`none`, `integrity`, `confidentiality`), or `nil` when
    /// the kernel has no lockdown LSM or securityfs is not mounted.
    public func lockdownMode() -> String? {
        guard let bytes = try? SystemCalls.readFile(lockdownFile, limit: 4096) else { return nil }
        return ProvisionConfig.selectedLockdownMode(String(decoding: bytes, as: UTF8.self))
    }

    /// The trust store from efivarfs plus `certificates` (`--trust-cert`). A database that
    /// is absent is noted; one that exists but does not parse is an error, so that a
    /// revocation list is never silently ignored.
    public func trustStore(certificates: [FilePath]) throws(KexecError) -> TrustStore {
        var store = TrustStore()
        for (name, guid) in Self.allowed + Self.forbidden {
            let path = efivars.appending("\(name)-\(guid)")
            let bytes: [UInt8]
            do { bytes = try SystemCalls.readFile(path, limit: 16 << 20) } catch {
                store.note("\(name): not readable at \(path) (\(error))")
                continue
            }
            let entries: [EFISignatureList.Entry]
            do { entries = try EFISignatureList.parse(efivarfsFile: bytes) } catch {
                throw .badConfiguration(path, "the \(name) signature database does not parse: \(error)")
            }
            if Self.allowed.contains(where: { $0.0 == name }) {
                store.allow(entries, source: name)
            } else {
                store.forbid(entries, source: name)
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
