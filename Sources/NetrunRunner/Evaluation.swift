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
    /// Each class's precision, recall, F1 and support, for classification.
    public var classes: [ClassScores]?
    /// The unweighted mean F1 over the classes that occur as a true or predicted label.
    public var macroF1: Double?
    /// MAE, RMSE and R², for regression.
    public var regression: RegressionScores?
}

extension StoredModel {
    /// Measures the model on a part of its own config's data: `train`, `val` or `test`. The data
    /// is rebuilt from the stored config, which splits and preprocesses exactly as in training;
    /// a data file changed since the run read it is refused unless `allowChangedData`.
    public func evaluate(split: String, allowChangedData: Bool = false) throws -> EvaluationReport {
        try DataFingerprints.check(recordedData, runID: run.id, allowChanged: allowChangedData, warmStart: false)
        guard ["train", "val", "test"].contains(split) else {
            throw RunnerError("unknown split '\(split)'; expected train, val or test")
        }
        func measure<Scalar: NetScalar>(_ network: Network<Scalar>) throws -> EvaluationReport {
            let data = try DataLoader.load(config, preprocessing: preprocessing, classNames: classNames,
                                           inputWidth: network.inputSize, as: Scalar.self)
            let part = split == "train" ? data.train : split == "val" ? data.validation : data.test
            guard let part else {
                throw RunnerError("run \(run.id) has no \(split) part: its config has no data.\(split) or data.split.\(split)")
            }
            return Self.evaluate(network, part, named: split)
        }
        switch network {
        case .float32(let network): return try measure(network)
        case .float64(let network): return try measure(network)
        }
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
        func measure<Scalar: NetScalar>(_ network: Network<Scalar>) throws -> EvaluationReport {
            let loaded = try DataLoader.load(other, preprocessing: preprocessing, classNames: classNames,
                                             inputWidth: network.inputSize, as: Scalar.self)
            return Self.evaluate(network, loaded.train, named: path)
        }
        switch network {
        case .float32(let network): return try measure(network)
        case .float64(let network): return try measure(network)
        }
    }

    /// Loss and metrics as training measures them, in the same chunks (so a run's logged values
    /// come back bit for bit): each chunk's loss weighted by what it divided by (so
    /// `normalization` and `ignore_label` give the training numbers), and samples of the loss's
    /// `ignore_label` left out of accuracy, the confusion matrix and the class scores.
    static func evaluate<Scalar: NetScalar>(_ network: Network<Scalar>, _ data: Dataset<Scalar>,
                                            named split: String) -> EvaluationReport {
        let measured = network.evaluate(data), counts = measured.counts
        return EvaluationReport(split: split, count: data.count, loss: measured.loss, accuracy: measured.accuracy,
                                confusion: counts.confusion, classes: counts.confusion.map(classScores(confusion:)),
                                macroF1: counts.confusion.map(macroF1(confusion:)),
                                regression: counts.outputs.map(RegressionScores.init))
    }
}

extension StoredModel {
    /// The model's predictions for the rows of a CSV of inputs (no label column), as CSV cells:
    /// for a cross-entropy model the predicted class and each class's probability, else the outputs.
    public func predict(csv path: String, header: Bool?) throws -> (header: [String], rows: [[String]]) {
        try predict(features: CSVReader.readFeatures(path, header: header), from: path)
    }

    /// The same for a CSV already read, e.g. from standard input; `name` stands for it in errors.
    public func predict(csvBytes bytes: [UInt8], named name: String, header: Bool?) throws
        -> (header: [String], rows: [[String]]) {
        try predict(features: CSVReader.readFeatures(bytes: bytes, named: name, header: header), from: name)
    }

    private func predict(features read: (features: [Float], rows: Int, width: Int), from path: String) throws
        -> (header: [String], rows: [[String]]) {
        let (features, rows, width) = read
        guard width == network.inputSize else {
            throw RunnerError("\(path) has \(width) columns but run \(run.id)'s model takes \(network.inputSize) inputs "
                              + "(give the inputs only, no label column)")
        }
        precondition(features.count == rows * width, "\(features.count) features for \(rows) rows of \(width)")
        // Each row's predicted class and its outputs as the model's dtype prints them.
        func predicted<Scalar: NetScalar>(_ network: Network<Scalar>) -> [(predicted: Int, values: [String])] {
            let inputs = Matrix<Scalar>(rows: rows, cols: width)
            for (i, value) in features.enumerated() { inputs.storage[i] = Scalar(value) }
            preprocessing.apply(to: inputs)
            let prediction = network.predict(inputs)
            return (0..<rows).map { r in (argmax(prediction.row(r)), (0..<network.outputSize).map { "\(prediction[r, $0])" }) }
        }
        let prediction = switch network {
        case .float32(let network): predicted(network)
        case .float64(let network): predicted(network)
        }
        let classes = !config.loss.value.isRegression
        let outputs = (0..<network.outputSize)
        let header = classes ? ["class"] + outputs.map { "p_\(className($0))" } : outputs.map { "output_\($0)" }
        let cells = prediction.map { row in classes ? [className(row.predicted)] + row.values : row.values }
        return (header, cells)
    }
}
