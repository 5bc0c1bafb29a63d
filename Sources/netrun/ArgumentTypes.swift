import ArgumentParser
import NetrunStore

/// A status `netrun runs --status` filters by: a stored `RunStatus`, or `stale` (stored as
/// `running`, but its process is gone). Typed, so a misspelling is a usage error listing them all,
/// and shell completion offers them.
struct StatusFilter: ExpressibleByArgument, Equatable {
    static let stale = "stale"
    let name: String

    init?(argument: String) {
        guard Self.allValueStrings.contains(argument) else { return nil }
        name = argument
    }

    static var allValueStrings: [String] { RunStatus.allCases.map(\.rawValue) + [stale] }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

/// The part of a run's own data `netrun eval --split` measures.
enum DataSplit: String, CaseIterable, ExpressibleByArgument {
    case train, val, test
}
