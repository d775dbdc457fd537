import ArgumentParser
import FoundationEssentials
import KexecPlan
import Logging
import SystemPackage
import XenKexec

/// `xen-kexec-load raw-load` (hidden, test hosts only): the dom0 side of the differential
/// test of `XenRules` against Xen (issue 8). Sends each case's segment array straight to
/// `xc_kexec_load` — no planner, no preflight —, unloads what Xen accepted, and prints one
/// line per case comparing Xen's answer with `XenRules`' prediction, then
/// `N agree, M disagree`. Exit 0 only if every case agrees.
struct RawLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raw-load",
        abstract: "Send raw segment arrays to Xen and compare with XenRules (test hosts only).",
        shouldDisplay: false
    )

    @Argument(help: "JSON Lines, one case per line: {\"id\", \"type\", \"arch\", \"entry\", \"segments\": [{\"hasBuffer\", \"bufSize\", \"dest\", \"destSize\"}], \"segment0Prefix\"}.")
    var cases: String

    @Option(help: "The XenRules hypervisor to predict with: xen-4.17, xen-v2-series, xen-v2-series-unaligned-header, xen-4.17-test-efi.")
    var rules: String = XenHypervisor.xen417.name

    @Flag(name: .customLong("yes-this-is-a-test-host"), help: "Confirm: every case replaces what Xen's slots hold.")
    var confirmed = false

    @OptionGroup var common: CommonOptions
    @OptionGroup var state: StateOptions

    static let hypervisors: [XenHypervisor] = [.xen417, .v2Series, .v2SeriesUnalignedHeader, .testXen]

    func validate() throws {
        if !confirmed { throw ValidationError("raw-load replaces whatever Xen's slots hold; add --yes-this-is-a-test-host on a test host") }
        if !Self.hypervisors.contains(where: { $0.name == rules }) { throw ValidationError("unknown --rules \(rules)") }
    }

    func run() throws {
        let logger = CLILogging.bootstrap(verbosity: common.verbose)
        var disagreements = 0
        try reportingErrors(json: false, logger: logger) { () throws(KexecError) in
            let hv = Self.hypervisors.first { $0.name == rules }!
            let text: String
            do throws(Errno) { text = try ProvisionConfigLoader.readText(FilePath(cases)) } catch { throw .fileUnavailable(FilePath(cases), error) }
            let parsed = try RawCaseFile.parse(text)
            let hypervisor = try XenctrlHypervisor.open(verboseLibxenctrl: common.verbose >= 2)
            let lock = try state.lock(logger)
            defer { lock.release() }
            for slot in [LoadType.crash, .default] where state.store.read(slot: slot).record != nil {
                throw .planFailed("xen-kexec-load armed the \(slot.name) slot; unload it before raw-load replaces it")
            }
            let region: AddressRange?
            do throws(HypercallFailure) { region = try hypervisor.crashRegion() } catch { throw ErrnoClassification.classify(error) }
            let runner = RawLoadRunner(hypervisor: hypervisor)
            var agree = 0
            for c in parsed {
                let result = try runner.run(c)
                let predicted = XenRules.check(c.xenLoadRequest, crashRegion: region, hypervisor: hv)
                let verdict = RawVerdict(result: result, predicted: predicted)
                if verdict.agrees { agree += 1 } else { disagreements += 1 }
                Output.line(verdict.line)
            }
            Output.line("\(agree) agree, \(disagreements) disagree")
        }
        if disagreements > 0 { throw ExitCode.failure }
    }
}

/// One case's comparison. Pure.
struct RawVerdict {
    let result: RawLoadResult
    let predicted: XenRuleViolation?

    var agrees: Bool { result.errno?.rawValue == predicted?.errno }

    static func name(_ e: Int32?) -> String {
        guard let e else { return "accepted" }
        return XenErrno.name(e)
    }

    var line: String {
        var s = "RAW \(result.id) xen=\(Self.name(result.errno?.rawValue)) rules=\(Self.name(predicted?.errno))"
        if let p = predicted { s += " (\(p.rule.rawValue))" }
        s += agrees ? " agree" : " DISAGREE"
        if let u = result.unloadErrno { s += " unload-failed=errno\(u.rawValue)" }
        return s
    }
}

/// The JSON Lines case file.
enum RawCaseFile {
    struct Line: Decodable {
        struct Segment: Decodable {
            var hasBuffer: Bool
            var bufSize: UInt64
            var dest: Address
            var destSize: UInt64
        }
        var id: String
        var type: UInt8
        var arch: UInt16
        var entry: Address
        var segments: [Segment]
        var segment0Prefix: String?
    }

    /// `0x…` string or a plain number.
    struct Address: Decodable {
        var value: UInt64
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(UInt64.self) {
                value = n
                return
            }
            let s = try c.decode(String.self)
            let digits = s.hasPrefix("0x") ? String(s.dropFirst(2)) : s
            guard let v = UInt64(digits, radix: s.hasPrefix("0x") ? 16 : 10) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an address: \(s)")
            }
            value = v
        }
    }

    static func parse(_ text: String) throws(KexecError) -> [RawLoadCase] {
        var out: [RawLoadCase] = []
        for (n, line) in text.split(separator: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) && !line.hasPrefix("#") {
            let l: Line
            do { l = try JSONDecoder().decode(Line.self, from: Data(line.utf8)) } catch {
                throw .planFailed("case file line \(n + 1): \(error)")
            }
            guard let prefix = hexBytes(l.segment0Prefix ?? "") else { throw .planFailed("case file line \(n + 1): segment0Prefix is not hex") }
            out.append(RawLoadCase(
                id: l.id, type: l.type, arch: l.arch, entry: l.entry.value,
                segments: l.segments.map { .init(hasBuffer: $0.hasBuffer, bufSize: $0.bufSize, dest: $0.dest.value, destSize: $0.destSize) },
                segment0Prefix: prefix))
        }
        return out
    }

    static func hexBytes(_ s: String) -> [UInt8]? {
        let chars = Array(s.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let b = UInt8(String(decoding: chars[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
            out.append(b)
            i += 2
        }
        return out
    }
}

extension RawLoadCase {
    /// The same request as XenRules reads it.
    var xenLoadRequest: XenLoadRequest {
        XenLoadRequest(
            type: type, arch: arch, entry: entry,
            segments: segments.map { XenSegmentDescriptor(hasBuffer: $0.hasBuffer, bufSize: $0.bufSize, dest: $0.dest, destSize: $0.destSize) },
            segment0Prefix: segment0Prefix)
    }
}
