import Foundation
import NetrunConfig
import NetrunCore
import NetrunStore

/// A config's resolved settings as flat key/value pairs, as the store's `hyperparameters` table
/// keeps them: defaults filled in, so runs that differ only by a default still tell apart.
public enum Hyperparameters {
    /// The settings of runs recorded before netrun kept them (`byRun` has none for them), worked
    /// out again from each run's stored config text and overrides; a run whose config no longer
    /// decodes (an older netrun's syntax) keeps none. Returns the runs it filled in.
    public static func fillUnrecorded(_ byRun: inout [Int64: [Hyperparameter]], runs: [RunSummary]) -> Set<Int64> {
        var filled: Set<Int64> = []
        for run in runs where byRun[run.id]?.isEmpty ?? true {
            guard let config = try? run.config(recorded: nil) else { continue }
            byRun[run.id] = of(config, trainSamples: run.trainSamples)
            filled.insert(run.id)
        }
        return filled
    }

    /// The settings that shape training and the model; `trainSamples` resolves a full-batch
    /// `batch_size` (left out when it is not known).
    public static func of(_ config: Config, trainSamples: Int?) -> [Hyperparameter] {
        var rows: [Hyperparameter] = []
        func number(_ key: String, _ value: Double) { rows.append(Hyperparameter(key: key, value: value, text: text(value))) }
        func integer(_ key: String, _ value: Int) { rows.append(Hyperparameter(key: key, value: Double(value), text: String(value))) }
        func name(_ key: String, _ value: String) { rows.append(Hyperparameter(key: key, value: nil, text: value)) }

        let training = config.training
        integer("seed", Int(truncatingIfNeeded: config.seed))
        number("training.learning_rate", training.learningRate)
        number("training.reg", training.reg)
        if let batch = training.batchSize ?? trainSamples { integer("training.batch_size", batch) }
        if let iterations = training.iterations {
            integer("training.iterations", iterations)
        } else {
            integer("training.epochs", training.epochs)
        }
        name("training.optimizer", training.optimizer.name)
        for (label, value) in options(of: training.optimizer.settings) where label != "momentum" {
            switch value {
            case let value as Double: number("training.optimizer.\(label)", value)
            case let value as Int: integer("training.optimizer.\(label)", value)
            case let value as Bool: integer("training.optimizer.\(label)", value ? 1 : 0)
            default: name("training.optimizer.\(label)", String(describing: value))
            }
        }
        number("training.momentum", training.momentum)
        name("training.schedule", training.schedule.main.map(String.init(describing:)) ?? "none")
        if let warmup = training.schedule.warmupSteps { integer("training.warmup_steps", warmup) }
        name("training.dtype", training.dtype.rawValue)
        name("loss", config.loss.value.rawValue)
        for (index, layer) in config.model.layers.enumerated() {
            let key = "model.layers[\(index)]"
            switch layer.kind {
            case .dense(let units, let activation, let initialization):
                integer("\(key).units", units)
                name("\(key).activation", activation?.name ?? "none")
                if let initialization { name("\(key).init", String(describing: initialization)) }
            case .activation(let activation):
                name("\(key).activation", activation.name)
            case .dropout(let p):
                number("\(key).dropout", p)
            }
        }
        return rows
    }

    /// An optimizer's stored options by snake_case name, e.g. `weight_decay`.
    static func options(of settings: any OptimizerSettings) -> [(String, Any)] {
        Mirror(reflecting: settings).children.compactMap { child in
            child.label.map { (snakeCase($0), child.value) }
        }
    }

    static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { text, character in
            if character.isUppercase { text += "_" + character.lowercased() } else { text.append(character) }
        }
    }

    /// The shortest text that reads back as `value`: `0.001`, `1e-07`, `50` for a whole number.
    static func text(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
