import ArgumentParser
import NetrunStore

/// `--tag KEY=VALUE` (repeatable) and `--note TEXT`, on the commands that record runs.
struct TagOptions: ParsableArguments {
    @Option(name: .customLong("tag"), help: ArgumentHelp("A label for the run, KEY=VALUE (repeatable); netrun runs --tag filters by it.",
                                                         valueName: "key=value"))
    var tags: [String] = []

    @Option(help: "A note on the run, shown by netrun show.")
    var note: String?

    func validate() throws {
        for tag in tags { _ = try Self.parse(tag) }
    }

    var parsed: [(key: String, value: String)] { tags.compactMap { try? Self.parse($0) } }

    /// The labels for runs that start later (a sweep's trials), or nil when there are none.
    var labels: RunLabels? {
        let labels = RunLabels(tags: parsed, note: note)
        return labels.isEmpty ? nil : labels
    }

    /// `key=value`: a key is not empty and holds no `=`; the value may be empty.
    static func parse(_ text: String) throws -> (key: String, value: String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("'\(text)' is not a tag; write key=value")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    /// Tags the runs just recorded; a failure is a database error.
    func apply(to runIDs: [Int64], in store: RunStore) throws {
        guard !tags.isEmpty || note != nil else { return }
        do {
            for runID in runIDs { try store.tag(runID: runID, parsed, note: note) }
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
    }
}
