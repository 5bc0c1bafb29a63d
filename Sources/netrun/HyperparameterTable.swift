import Foundation
import NetrunStore

/// Runs' recorded settings side by side, for `netrun runs` and `netrun compare`.
struct HyperparameterTable {
    /// Each run's settings by key.
    let byRun: [Int64: [String: Hyperparameter]]
    /// Every key any of the runs has, in key order.
    let keys: [String]
    let runIDs: [Int64]

    init(_ settings: [Int64: [Hyperparameter]], runIDs: [Int64]) {
        self.runIDs = runIDs
        var byRun: [Int64: [String: Hyperparameter]] = [:]
        for id in runIDs {
            byRun[id] = Dictionary((settings[id] ?? []).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        }
        self.byRun = byRun
        keys = Set(byRun.values.flatMap(\.keys)).sorted(by: Self.keyOrder)
    }

    /// The keys whose values are not the same in every run that recorded settings (a run recorded
    /// before settings were kept is left out, so it does not make every key differ).
    var differingKeys: [String] {
        let recorded = runIDs.filter { !(byRun[$0] ?? [:]).isEmpty }
        guard recorded.count > 1 else { return [] }
        return keys.filter { key in Set(recorded.map { byRun[$0]?[key]?.text ?? "" }).count > 1 }
    }

    func text(_ runID: Int64, _ key: String) -> String? { byRun[runID]?[key]?.text }

    /// `model.layers[2]` after `model.layers[10]` would read wrong: numbers in keys compare as numbers.
    static func keyOrder(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: .numeric) == .orderedAscending
    }

    /// `{"training.learning_rate": 0.001, "training.optimizer": "adam", …}`: numbers as numbers.
    static func jsonObject(_ settings: [Hyperparameter]) -> [String: Any] {
        Dictionary(settings.map { ($0.key, $0.value.map { $0 as Any } ?? $0.text) }, uniquingKeysWith: { first, _ in first })
    }
}
