import Foundation
import NetrunCore

/// Reads a config file and decodes it into a checked `Config`.
public enum ConfigLoader {
    /// Reads and decodes `path`; every problem is a `ConfigError` naming the file.
    public static func load(path: String, overrides: [ConfigOverride] = []) throws -> Config {
        try decode(text: try YAMLFile.text(path), path: path, overrides: overrides)
    }

    /// The `data:` block of the YAML file at `path`, whatever else the file holds (so a whole
    /// config or a file of just `data:` both work); files resolve against its folder.
    public static func loadData(path: String) throws -> DataConfig {
        let top = try ConfigValue(root: try YAMLLoader.parse(try YAMLFile.text(path), file: path)).mapping()
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        return try decodeData(try top.required("data"), folder: folder.isEmpty ? "/" : folder)
    }

    /// Decodes config text with `overrides` applied; `path` names it in errors and in the stored run.
    public static func decode(text: String, path: String, overrides: [ConfigOverride] = []) throws -> Config {
        try decode(root: try YAMLLoader.parse(text, file: path), text: text, path: path, overrides: overrides)
    }

    /// Decodes `text` already parsed into `root` (a sweep parses once for all its trials).
    public static func decode(root: YAMLNode, text: String, path: String, overrides: [ConfigOverride] = []) throws -> Config {
        var root = root
        for override in overrides { root = try override.apply(to: root) }
        let top = try ConfigValue(root: root).mapping()
        let url = URL(fileURLWithPath: path)
        let defaultName = url.deletingPathExtension().lastPathComponent
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let base = folder.isEmpty ? "/" : folder
        let (loss, lossOptions, balanced) = try decodeLoss(try top.required("loss"))
        var watched: [Located<Monitor>] = []
        var config = Config(
            name: try top.optional("name").map(decodeName) ?? defaultName,
            seed: try top.optional("seed").map(decodeSeed) ?? 0,
            data: try decodeData(try top.required("data"), folder: base),
            model: try decodeModel(try top.required("model"), folder: base),
            loss: loss,
            training: try decodeTraining(try top.required("training"), watched: &watched),
            trainingPlaces: try decodeTrainingPlaces(try top.required("training")),
            sweep: try top.optional("sweep").map(decodeSweep),
            overrides: overrides,
            text: text,
            path: path)
        config.lossOptions = lossOptions
        config.balancedClassWeights = balanced
        try top.finish()
        try checkWatched(watched, &config)
        if let sweep = config.sweep, let measure = sweep.metric.value.measure {
            if measure.isRegression, [.crossEntropy, .softmaxCrossEntropy].contains(config.loss.value) {
                throw sweep.metric.error("metric '\(sweep.metric.value.label)' measures regression outputs, but loss "
                                         + "'\(config.loss.value.rawValue)' trains a classifier; rank by loss, accuracy, "
                                         + "top<k> or a macro_ metric")
            }
            // A sweep ranked by a metric beyond loss and accuracy logs it in every trial.
            if measure != .accuracy, !config.training.metrics.contains(measure) { config.training.metrics.append(measure) }
        }
        return config
    }

    /// The metrics `plateau`, `early_stopping` and `keep_best` watch must be logged at every log
    /// point: a val_ metric needs validation data, and a measure beyond loss and accuracy is added
    /// to `training.metrics` (as a sweep's is).
    private static func checkWatched(_ watched: [Located<Monitor>], _ config: inout Config) throws {
        for metric in watched {
            if metric.value.split == "val", config.data.validation == nil, config.data.split.validation == nil {
                throw metric.error("'\(metric.value.label)' is measured on validation data, but the config has none: "
                                   + "add data.split.val or data.val, or watch a train_ metric")
            }
            guard let measure = MetricName(metric.value.name) else { continue }
            if measure.isRegression, [.crossEntropy, .softmaxCrossEntropy].contains(config.loss.value) {
                throw metric.error("'\(metric.value.label)' measures regression outputs, but loss "
                                   + "'\(config.loss.value.rawValue)' trains a classifier")
            }
            if measure != .accuracy, !config.training.metrics.contains(measure) { config.training.metrics.append(measure) }
        }
    }

    /// A run's name is stored as given and escaped only on display, but SQLite would cut a text
    /// value at a NUL, so a NUL (written `"\0"` in YAML) is refused rather than stored short.
    private static func decodeName(_ value: ConfigValue) throws -> String {
        let name = try value.string()
        guard !name.unicodeScalars.contains("\0") else {
            throw value.error("a name cannot contain a NUL character (\\0); it would be cut there when stored")
        }
        return name
    }

    private static func decodeSeed(_ value: ConfigValue) throws -> UInt64 {
        try value.uint64("a seed")
    }

}
