import ArgumentParser
import NetrunStore

/// A status `netrun runs --status` filters by: a stored `RunStatus`, or `stale` (stored as
/// `running`, but its process is gone). Typed, so a misspelling is a usage error listing them all,
/// and shell completion offers them.
struct StatusFilter: ExpressibleByArgument, Equatable {
    static let stale = "stale"
    /// Halving's pruned trials: their runs are `interrupted` in the store.
    static let pruned = "pruned"
    let name: String

    init?(argument: String) {
        guard Self.allValueStrings.contains(argument) else { return nil }
        name = argument
    }

    static var allValueStrings: [String] { RunStatus.allCases.map(\.rawValue) + [stale, pruned] }

    /// The stored status the runs shown under this one have.
    var stored: RunStatus? {
        switch name {
        case Self.stale: .running
        case Self.pruned: .interrupted
        default: RunStatus(rawValue: name)
        }
    }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

/// The part of a run's own data `netrun eval --split` measures.
enum DataSplit: String, CaseIterable, ExpressibleByArgument {
    case train, val, test
}
