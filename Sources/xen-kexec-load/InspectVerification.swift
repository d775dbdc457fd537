import KexecTrust
import XenKexec

/// `inspect`'s Secure Boot verdict for one file: the signature of the image Xen runs (a
/// UKI's `.linux`), checked against db, MokListRT and `--trust-cert` as this host exposes
/// them, with dbx and MokListXRT. Reported, never an exit status of its own.
struct InspectVerification: Encodable, Equatable {
    /// `"verified"` or `"refused"`.
    let result: String
    /// For `refused`: the stable kind (unsigned, tampered, untrusted, revoked, …) and why.
    var kind: String? = nil
    var reason: String? = nil
    /// For `verified`: the chain from the signer to the anchor, and where the anchor is.
    var chain: [String]? = nil
    var anchor: String? = nil
    var trustedByImageHash: Bool? = nil
    var imageSHA256: String? = nil
    /// Which images were checked: `"kernel"`, `"uki + .linux"` (the UKI's own signature and
    /// its `.linux`'s) or `"envelope .kernel"`.
    let checked: String
    /// What the file carries that no signature covers (an ELF envelope's `.initrd` and
    /// `.cmdline`); a separate initrd and the command line are never covered.
    var notCovered: [String]? = nil
    /// What each trust source gave.
    let trustSources: [String]

    init(_ verdict: KernelVerification, checked: String, trustSources: [String], notCovered: [String] = []) {
        self.checked = checked
        self.notCovered = notCovered.isEmpty ? nil : notCovered
        self.trustSources = trustSources
        switch verdict {
        case .verified(let v):
            result = "verified"
            chain = v.chain
            anchor = v.anchorSource
            trustedByImageHash = v.trustedByImageHash
            imageSHA256 = v.imageSHA256
        case .refused(let r):
            result = "refused"
            kind = r.kind
            reason = r.description
        }
    }

    /// Text rows for `inspect`.
    var lines: [(String, String)] {
        var rows: [(String, String)] = []
        if result == "verified" {
            let via = trustedByImageHash == true ? "image hash listed in \(anchor ?? "?")" : "anchored in \(anchor ?? "?")"
            rows.append(("secure boot", "verified (\(checked)), \(via)"))
            for (i, subject) in (chain ?? []).enumerated() { rows.append(("chain", "\(i == 0 ? "signer" : "issuer") \(subject)")) }
        } else {
            rows.append(("secure boot", "NOT verified (\(checked)): \(reason ?? "?")"))
        }
        for item in notCovered ?? [] { rows.append(("not covered", item)) }
        for s in trustSources { rows.append(("trust", s)) }
        return rows
    }
}
