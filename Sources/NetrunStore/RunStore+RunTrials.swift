import GRDB

/// The sweep trial a run trained: which sweep, which point of its grid, and the swept values.
public struct RunTrial: Sendable {
    public var sweepID: Int64
    public var trial: Int
    public var params: [SweptParam]
}

extension RunStore {
    /// The trial each of `runIDs` is the latest run of; runs outside any sweep are left out.
    public func trials(ofRuns runIDs: [Int64]) throws -> [Int64: RunTrial] {
        guard !runIDs.isEmpty else { return [:] }
        return try read("read the sweep trials of runs") { db in
            let marks = Array(repeating: "?", count: runIDs.count).joined(separator: ", ")
            let rows = try Row.fetchAll(db, sql: """
                SELECT t.run_id, t.sweep_id, t.trial, p.path, p.value, p.text
                FROM trials t LEFT JOIN trial_params p ON p.sweep_id = t.sweep_id AND p.trial = t.trial
                WHERE t.run_id IN (\(marks)) ORDER BY t.run_id, p.path
                """, arguments: StatementArguments(runIDs))
            var found = [Int64: RunTrial]()
            for row in rows {
                let runID: Int64 = row["run_id"]
                var trial = found[runID] ?? RunTrial(sweepID: row["sweep_id"], trial: row["trial"], params: [])
                if let path: String = row["path"] {
                    trial.params.append(SweptParam(path: path, value: row["value"], text: row["text"]))
                }
                found[runID] = trial
            }
            return found
        }
    }
}
