import GRDB

/// One resolved setting of a run: `training.learning_rate` = 0.001.
public struct Hyperparameter: Sendable, Equatable {
    /// The config key path, e.g. `training.learning_rate` or `model.layers[0].units`.
    public var key: String
    /// The value when it is a number; nil for names such as `adam` or `relu`.
    public var value: Double?
    /// The value as netrun shows it.
    public var text: String

    public init(key: String, value: Double?, text: String) {
        self.key = key
        self.value = value
        self.text = text
    }
}

/// A row of `hyperparameters`.
struct HyperparameterRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "hyperparameters"

    var runID: Int64
    var key: String
    var value: Double?
    var text: String

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", key, value, text
    }

    enum Columns {
        static let runID = Column(CodingKeys.runID)
        static let key = Column(CodingKeys.key)
    }

    init(runID: Int64, _ parameter: Hyperparameter) {
        self.runID = runID
        key = parameter.key
        value = parameter.value.flatMap { $0.isFinite ? $0 : nil }
        text = parameter.text
    }

    var hyperparameter: Hyperparameter { Hyperparameter(key: key, value: value, text: text) }
}

extension RunStore {
    /// Records run `runID`'s resolved settings, replacing any recorded before.
    public func saveHyperparameters(runID: Int64, _ parameters: [Hyperparameter]) throws {
        try write("record the hyperparameters of run \(runID)") { db in
            try HyperparameterRecord.filter(HyperparameterRecord.Columns.runID == runID).deleteAll(db)
            for parameter in parameters {
                try HyperparameterRecord(runID: runID, parameter).insert(db)
            }
        }
    }

    /// The recorded settings of each of `runIDs`, in key order; a run recorded before they were
    /// kept (or unknown) has none.
    public func hyperparameters(runIDs: [Int64]) throws -> [Int64: [Hyperparameter]] {
        try read("read hyperparameters") { db in
            let records = try HyperparameterRecord
                .filter(runIDs.contains(HyperparameterRecord.Columns.runID))
                .order(HyperparameterRecord.Columns.runID, HyperparameterRecord.Columns.key)
                .fetchAll(db)
            return Dictionary(grouping: records, by: \.runID).mapValues { $0.map(\.hyperparameter) }
        }
    }
}
