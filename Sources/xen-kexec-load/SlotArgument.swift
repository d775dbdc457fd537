import ArgumentParser
import KexecPlan

/// `--type` for unload/status/exec/load.
enum SlotArgument: String, ExpressibleByArgument, CaseIterable {
    case crash
    case `default`

    var loadType: LoadType { self == .crash ? .crash : .default }
}
