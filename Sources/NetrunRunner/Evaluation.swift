import NetrunConfig
import NetrunCore
import NetrunData

/// A stored model measured on one set of samples.
public struct EvaluationReport {
    /// `train`, `val`, `test`, or the data file's path.
    public var split: String
    public var count: Int
    public var loss: Double
    public var accuracy: Double?
    /// counts[true][predicted], for classification.
    public var confusion: [[Int]]?
}

extension StoredModel {
    /// Measures the model on a part of its own config's data: `train`, `val` or `test`. The data
    /// is rebuilt from the stored config, which splits and preprocesses exactly as in training;
    /// a data file changed since the run read it is refused unless `allowChangedData`.
    public func evaluate(split: String, allowChangedData: Bool = false) throws -> EvaluationReport {
        try DataFingerprints.check(recordedData, runID: run.id, allowChanged: allowChangedData)
        let data = try DataLoader.load(config, preprocessing: preprocessing, classNames: classNames,
                                       inputWidth: network.inputSize)
        let part: Dataset<Float>?
        switch split {
        case "train": part = data.train
        case "val": part = data.validation
        case "test": part = data.test
        default: throw RunnerError("unknown split '\(split)'; expected train, val or test")
        }
        guard let part else {
            throw RunnerError("run \(run.id) has no \(split) part: its config has no data.\(split) or data.split.\(split)")
        }
        return evaluate(part, named: split)
    }

    /// Measures the model on every sample of the main source of the `data:` block in `path`,
    /// preprocessed with the run's fitted transform.
    public func evaluate(dataFile path: String) throws -> EvaluationReport {
        var other = config
        var data = try ConfigLoader.loadData(path: path)
        data.validation = nil
        data.test = nil
        data.split = SplitConfig()
        data.preprocess = PreprocessConfig()
        other.data = data
        let loaded = try DataLoader.load(other, preprocessing: preprocessing, classNames: classNames,
                                         inputWidth: network.inputSize)
        return evaluate(loaded.train, named: path)
    }

    public func evaluate(_ data: Dataset<Float>, named split: String) -> EvaluationReport {
        var lossSum = 0.0, correct = 0
        var confusion: [[Int]]? = nil
        if case .classes(let count) = data.kind { confusion = Array(repeating: Array(repeating: 0, count: count), count: count) }
        let chunk = 1024
        for start in stride(from: 0, to: data.count, by: chunk) {
            let rows = Array(start..<min(start + chunk, data.count))
            let part = data.subset(rows)
            let output = network.forward(part.inputs)
            lossSum += network.loss.forward(output, part.targets) * Double(rows.count)
            let prediction = network.loss.prediction(from: output)
            correct += correctCount(prediction, part.targets, kind: data.kind) ?? 0
            if confusion != nil {
                for r in 0..<rows.count { confusion![argmax(part.targets.row(r))][argmax(prediction.row(r))] += 1 }
            }
        }
        let n = Double(max(data.count, 1))
        return EvaluationReport(split: split, count: data.count, loss: lossSum / n,
                                accuracy: data.kind == .real ? nil : Double(correct) / n, confusion: confusion)
    }
}

extension StoredModel {
    /// The model's predictions for the rows of a CSV of inputs (no label column), as CSV cells:
    /// for a cross-entropy model the predicted class and each class's probability, else the outputs.
    public func predict(csv path: String, header: Bool?) throws -> (header: [String], rows: [[String]]) {
        let (features, rows, width) = try CSVReader.readFeatures(path, header: header)
        guard width == network.inputSize else {
            throw RunnerError("\(path) has \(width) columns but run \(run.id)'s model takes \(network.inputSize) inputs "
                              + "(give the inputs only, no label column)")
        }
        let inputs = Matrix<Float>(rows: rows, cols: width)
        features.withUnsafeBufferPointer { inputs.storage.update(from: $0.baseAddress!, count: $0.count) }
        preprocessing.apply(to: inputs)
        let prediction = network.predict(inputs)
        let classes = !config.loss.value.isRegression
        let outputs = (0..<network.outputSize)
        let header = classes ? ["class"] + outputs.map { "p_\(className($0))" } : outputs.map { "output_\($0)" }
        let cells = (0..<rows).map { r -> [String] in
            let values = outputs.map { "\(prediction[r, $0])" }
            return classes ? [className(argmax(prediction.row(r)))] + values : values
        }
        return (header, cells)
    }
}
