import ArgumentParser
import KexecPlan
import KexecTestSupport
import XenKexec

/// `xen-kexec-fidelity compare`, the default subcommand (`xen-kexec-fidelity --rules …`):
/// the differential test of `XenRules` against the running hypervisor.
///
/// It generates seeded segment arrays near the edges of Xen's load rules
/// (`XenRulesCaseGenerator`), predicts each answer with `XenRules`, and — unless `--offline` —
/// sends each array straight to `xc_kexec_load` **without the preflight**, records rc/errno,
/// unloads what loaded, and prints one line per case and a closing `N agree, M disagree`.
/// Exit 0 only when every case agrees, 1 on a disagreement, 2 when Xen could not be asked.
/// It never touches `xen-kexec-load`'s record of the armed image, so run it on a test host.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Test only: compare XenRules' predictions with the running Xen, case by case."
    )

    @Option(help: "Seed of the case generator.")
    var seed: UInt64 = 1

    @Option(help: "Number of cases.")
    var count: Int = 250

    @Option(help: "Which rules to predict with: xen-4.17 (Debian's Xen) or test-xen (the project's Xen with KEXEC_TYPE_CRASH_EFI).")
    var rules: RulesArgument = .xen417

    @Flag(help: "Only print the cases and predictions; no hypercalls.")
    var offline = false

    @Option(name: .customLong("crash-region"), help: "With --offline: the crash region, e.g. 256M@1G.")
    var crashRegion: String = "256M@1G"

    @Flag(name: .shortAndLong, help: "Let libxenctrl log its own messages to stderr.")
    var verbose = false

    enum RulesArgument: String, ExpressibleByArgument, CaseIterable {
        case xen417 = "xen-4.17"
        case testXen = "test-xen"

        var hypervisor: XenHypervisor { self == .xen417 ? .xen417 : .testXen }
    }

    func run() throws {
        if offline {
            guard let region = CrashRegion.parse(crashRegion) else { throw ValidationError("--crash-region \(crashRegion): expected SIZE@BASE") }
            let window = AddressRange(start: 0x100_0000, size: 0x400_0000)
            let generator = XenRulesCaseGenerator(crashRegion: region, defaultWindow: window, includeCrashEFI: rules == .testXen)
            for c in generator.cases(seed: seed, count: count) {
                let v = XenRules.check(c.request, crashRegion: region, hypervisor: rules.hypervisor)
                FidelityOutput.line("FIDELITY case \(c.index) \(c.probe): predicted \(FidelityOutput.describe(v))")
            }
            return
        }
        let result: FidelityRunner.Result
        do {
            let xen: XenctrlHypervisor
            do { xen = try XenctrlHypervisor.open(verboseLibxenctrl: verbose) } catch { throw FidelityError.xenUnavailable(error) }
            let runner = try FidelityRunner(hypervisor: xen, rules: rules.hypervisor)
            result = try runner.run(runner.generator(includeCrashEFI: rules == .testXen).cases(seed: seed, count: count))
        } catch let error as FidelityError {
            FidelityOutput.error("xen-kexec-fidelity: error: \(error)")
            throw ExitCode(2)
        }
        for (rule, n) in result.ruleCounts.sorted(by: { $0.key < $1.key }) { FidelityOutput.line("FIDELITY rule \(rule): \(n) cases") }
        FidelityOutput.line("FIDELITY: \(result.agree) agree, \(result.disagree) disagree")
        if result.disagree != 0 { throw ExitCode(1) }
    }
}
