import NetrunConfig
import NetrunCore

/// A source's samples with their targets, and what the targets were made from.
struct SourceSamples {
    var data: Dataset<Float>
    /// The class names the ids are numbered by, when the labels name their classes.
    var classNames: [String]?
    /// Whether the labels were values to regress on rather than classes.
    var labelsAreValues = false
}

/// Decides what a source's labels mean for the model that trains on them, and turns them into
/// target rows: the one place that knows the labels, the loss and the model's output width.
///
/// - Class ids (IDX, CIFAR-10, synthetic sets, inline indices, CSV names or whole numbers ≥ 0)
///   with two or more outputs: one-hot rows; with one output and `mse`, two classes are the
///   values of their ids.
/// - CSV numbers with `mse`: values to regress on, one per sample — unless `type: class` says
///   they are class ids. With a cross-entropy loss they are class ids.
/// - Inline rows as wide as the output: one-hot or probability rows are classes; otherwise values.
/// - One output with exactly two target values (0/1, −1/1): accuracy thresholds at their midpoint.
struct TargetResolver {
    /// The model's output width.
    let outputs: Int
    let loss: Located<LossFunction>
    /// Whether the loss leaves out a class (`ignore_label`), which needs class targets.
    let ignoresAClass: Bool
    let model: ModelConfig

    init(config: Config, inputWidth: Int) {
        outputs = NetworkBuilder.outputSize(config.model, inputSize: inputWidth)
        loss = config.loss
        ignoresAClass = config.lossOptions.ignoreLabel != nil
        model = config.model
    }

    private var takesDistributions: Bool { !loss.value.isRegression }

    /// The targets of `raw`. `main`, the training source's result, imposes its kind and class
    /// names on a held-out source; `names` (a trained model's) number the training source's classes.
    func resolve(_ raw: RawSamples, _ source: DataSource, main: SourceSamples?, names: [String]?) throws -> SourceSamples {
        let imposedNames = main.map(\.classNames) ?? names
        let kind = main?.data.kind
        switch raw.labels {
        case .classIDs(let ids, let ownNames):
            let (renumbered, classNames) = try renumber(ids, ownNames, imposed: imposedNames, isHeldOut: main != nil, source)
            return try classTargets(raw.inputs, renumbered, names: classNames, kind: kind, source)
        case .written(let labels, let csv):
            let type = csv.labelType?.value
                ?? (main.map { $0.labelsAreValues ? .value : .class }
                    ?? (loss.value.isRegression && labels.texts.allSatisfy { Double($0) != nil } ? .value : .class))
            if type == .value { return try valueTargets(raw.inputs, labels, csv, kind: kind) }
            let (ids, classNames) = try writtenClassIDs(labels, csv, imposed: imposedNames, isHeldOut: main != nil, source)
            return try classTargets(raw.inputs, ids, names: classNames, kind: kind, source)
        case .inline(let inline):
            let (rows, resolvedKind) = try inlineTargets(inline.targets, count: inline.inputs.count, at: inline, kind: kind)
            return SourceSamples(data: Dataset(inputs: raw.inputs, targets: Matrix(rows.map { $0.map { Float($0) } }),
                                               kind: resolvedKind))
        }
    }

    // MARK: Classes

    /// Class ids as target rows: one-hot over the outputs, or the id itself for a one-output `mse` model.
    private func classTargets(_ inputs: Matrix<Float>, _ ids: [Int], names: [String]?, kind imposed: TargetKind?,
                              _ source: DataSource) throws -> SourceSamples {
        let classes = (ids.max() ?? 0) + 1
        try checkTargetSize(rows: ids.count, inputs: inputs, source)
        if outputs >= 2 {
            guard classes <= outputs else {
                let named = names.map { " ('\($0[classes - 1])')" } ?? ""
                throw ConfigError("the data has class \(classes - 1)\(named) but the model has \(outputs) outputs "
                                  + "(classes 0…\(outputs - 1)); make the last dense layer \(classes) units wide",
                                  at: source.location, path: source.path)
            }
            let targets = Matrix<Float>(rows: ids.count, cols: outputs)
            for (row, id) in ids.enumerated() { targets[row, id] = 1 }
            return SourceSamples(data: Dataset(inputs: inputs, targets: targets, kind: imposed ?? .classes(count: outputs)),
                                 classNames: names)
        }
        guard loss.value.isRegression else { throw oneOutputForClasses() }
        // One output holds two classes as the values of their ids (0/1), as a sigmoid or tanh output does.
        let distinct = Set(ids)
        guard distinct.count <= 2 else {
            throw widthError("the data has \(distinct.count) classes",
                             fix: "a classifier has one output per class: make the last dense layer \(classes) units wide")
        }
        let targets = Matrix<Float>(rows: ids.count, cols: 1)
        for (row, id) in ids.enumerated() { targets[row, 0] = Float(id) }
        let kind: TargetKind = imposed
            ?? (distinct.count == 2 ? .binary(low: Double(distinct.min()!), high: Double(distinct.max()!)) : .real)
        return SourceSamples(data: Dataset(inputs: inputs, targets: targets, kind: kind), classNames: names)
    }

    private func oneOutputForClasses() -> ConfigError {
        loss.error("\(loss.value.rawValue) needs a model with one output per class; this model has 1 output")
    }

    /// A format's class ids renumbered by the imposed names, when the format names its classes differently.
    private func renumber(_ ids: [Int], _ own: [String]?, imposed: [String]?, isHeldOut: Bool,
                          _ source: DataSource) throws -> ([Int], [String]?) {
        guard let own else { return (ids, imposed) }
        guard let imposed else {
            guard !isHeldOut else { throw numberedTrainingSource(own, source) }
            return (ids, own)
        }
        guard own != imposed else { return (ids, own) }
        let map = try own.map { name in
            guard let id = imposed.firstIndex(of: name) else { throw unknownClass(name, imposed, source) }
            return id
        }
        return (ids.map { map[$0] }, imposed)
    }

    /// A CSV label column as class ids: names looked up in the imposed names or numbered in
    /// sorted order (so the ids do not depend on the order of the rows), or whole numbers ≥ 0 as written.
    private func writtenClassIDs(_ labels: WrittenLabels, _ csv: CSVSource, imposed: [String]?, isHeldOut: Bool,
                                 _ source: DataSource) throws -> ([Int], [String]?) {
        if let imposed {
            let idOfName = Dictionary(imposed.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            let ids = labels.texts.compactMap { idOfName[$0] }
            if ids.count == labels.texts.count { return (ids, imposed) }
        }
        let numbers = labels.texts.map { Double($0) }
        if numbers.allSatisfy({ $0 != nil }) {
            var ids: [Int] = []
            ids.reserveCapacity(numbers.count)
            for (row, number) in numbers.enumerated() {
                // `1.0` too, as spreadsheets export whole numbers.
                guard let id = number.flatMap({ Int(exactly: $0) }), id >= 0 else {
                    let valueHint = csv.labelType == nil
                        ? "; to regress on them as values, use loss: mse with one output"
                        : "; to regress on them as values, write type: value"
                    throw labels.error("'\(labels.texts[row])' is not a class id: class ids are whole numbers "
                                       + "0, 1, 2, …\(valueHint)", row: row)
                }
                ids.append(id)
            }
            return (ids, imposed)
        }
        if let imposed {
            let unknown = labels.texts.first { !imposed.contains($0) }!  // some label is not a known name
            throw unknownClass(unknown, imposed, source)
        }
        if isHeldOut { throw numberedTrainingSource(Array(Set(labels.texts)).sorted(), source) }
        let names = Set(labels.texts).sorted()
        let idOfName = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        return (labels.texts.map { idOfName[$0]! }, names)  // every label is a key
    }

    private func unknownClass(_ name: String, _ known: [String], _ source: DataSource) -> ConfigError {
        ConfigError("class '\(name)' does not occur in the training source (\(known.joined(separator: ", ")))",
                    at: source.location, path: source.path)
    }

    private func numberedTrainingSource(_ names: [String], _ source: DataSource) -> ConfigError {
        ConfigError("this source names its classes (\(names.joined(separator: ", "))) but the training source numbers them",
                    at: source.location, path: source.path)
    }

    // MARK: Values

    /// A CSV label column as values to regress on: one target per sample, so one output.
    private func valueTargets(_ inputs: Matrix<Float>, _ labels: WrittenLabels, _ csv: CSVSource,
                              kind imposed: TargetKind?) throws -> SourceSamples {
        guard loss.value.isRegression else {
            let place = csv.labelType ?? Located(.value, location: loss.location, path: loss.path)
            throw place.error("the labels are values to regress on, which needs loss: mse; "
                              + "\(loss.value.rawValue) takes classes (write type: class)")
        }
        let targets = Matrix<Float>(rows: labels.texts.count, cols: 1)
        for (row, text) in labels.texts.enumerated() {
            guard let value = CSVReader.finiteFloat(text) else {
                throw labels.error(CSVReader.numberProblem(text) + " (the labels are values)", row: row)
            }
            targets[row, 0] = value
        }
        guard outputs == 1 else {
            let column = switch csv.label {
            case .index(let i): "\(i)"
            case .name(let name): name
            }
            let classHint = csv.labelType == nil
                && labels.texts.allSatisfy({ Double($0).flatMap { Int(exactly: $0) }.map { $0 >= 0 } ?? false })
                ? ", or, if they are class ids, write label: {column: \(column), type: class}" : ""
            throw widthError("the labels are values, 1 per sample",
                             fix: "end the model with a dense layer of 1 unit\(classHint)")
        }
        let values = Set(targets.values)
        let kind: TargetKind = imposed
            ?? (values.count == 2 ? .binary(low: Double(values.min()!), high: Double(values.max()!)) : .real)
        return SourceSamples(data: Dataset(inputs: inputs, targets: targets, kind: kind), labelsAreValues: true)
    }

    /// The model's output width does not fit the targets: refused at the layer that sets the width.
    private func widthError(_ what: String, fix: String) -> ConfigError {
        let dense = model.layers.lastIndex { if case .dense = $0.kind { true } else { false } }
        let layer = model.layers[dense ?? model.layers.count - 1]
        let width = outputs == 1 ? "1 output" : "\(outputs) outputs"
        let why = dense == nil ? "it has no dense layer, so its output is its input" : "its last dense layer's units"
        return ConfigError("the model has \(width) (\(why)) but \(what); \(fix)", at: layer.location, path: layer.path)
    }

    // MARK: Inline targets

    /// The target rows written in the config and their kind; `kind` from the training set is imposed on a test set.
    private func inlineTargets(_ targets: InlineData.Targets, count: Int, at data: InlineData, kind imposed: TargetKind?) throws
        -> ([[Double]], TargetKind)
    {
        let rows: [[Double]]
        switch targets {
        case .indices(let indices) where outputs >= 2:
            try checkCount(indices.count, count, data)
            rows = try indices.map { try oneHot($0) }
        case .indices(let indices):
            try checkCount(indices.count, count, data)
            guard !takesDistributions else { throw oneOutputForClasses() }
            rows = indices.map { [Double($0.value)] }
        case .rows(let written) where outputs >= 2 && written.allSatisfy({ $0.value.count == 1 }):
            // Lone numbers, not all written as integers: class indices if they are whole, else values.
            try checkCount(written.count, count, data)
            if let odd = written.first(where: { Int(exactly: $0.value[0]) == nil }),
               written.contains(where: { Int(exactly: $0.value[0]) != nil }) {
                throw odd.error("\(odd.value[0]) is not a class index (classes are 0…\(outputs - 1)), "
                                + "as the targets before it are")
            }
            guard written.allSatisfy({ Int(exactly: $0.value[0]) != nil }) else {
                if takesDistributions { throw notDistributions(data) }
                throw widthError("the targets are values, 1 per sample",
                                 fix: "end the model with a dense layer of 1 unit")
            }
            rows = try written.map { try oneHot(Located(Int($0.value[0]), location: $0.location, path: $0.path)) }
        case .rows(let written):
            try checkCount(written.count, count, data)
            for row in written where row.value.count != outputs {
                throw row.error("this target has \(row.value.count) values but the model has \(outputs) outputs")
            }
            if ignoresAClass, let soft = written.first(where: { !$0.value.allSatisfy { $0 == 0 || $0 == 1 } }) {
                throw soft.error("ignore_label needs class targets (indices or one-hot rows), "
                                 + "but this target is a row of probabilities")
            }
            rows = written.map(\.value)
        }
        let kind = imposed ?? inferKind(rows)
        if takesDistributions, !rows.allSatisfy(isDistribution) { throw notDistributions(data) }
        return (rows, kind)
    }

    private func notDistributions(_ data: InlineData) -> ConfigError {
        ConfigError("\(loss.value.rawValue) needs class indices, one-hot rows or rows of probabilities "
                    + "summing to 1; use 'loss: mse' for real-valued targets",
                    at: data.targetsLocation, path: data.path + ".targets")
    }

    private func oneHot(_ index: Located<Int>) throws -> [Double] {
        guard (0..<outputs).contains(index.value) else {
            throw index.error("class \(index.value) is out of range for a model with \(outputs) outputs "
                              + "(classes are 0…\(outputs - 1))")
        }
        return (0..<outputs).map { $0 == index.value ? 1 : 0 }
    }

    private func inferKind(_ rows: [[Double]]) -> TargetKind {
        if outputs >= 2, rows.allSatisfy(isDistribution) { return .classes(count: outputs) }
        if outputs == 1 {
            let values = Set(rows.map { $0[0] })
            if values.count == 2 { return .binary(low: values.min()!, high: values.max()!) }
        }
        return .real
    }

    private func isDistribution(_ row: [Double]) -> Bool {
        row.allSatisfy { $0 >= 0 } && abs(row.reduce(0, +) - 1) < 1e-6
    }

    private func checkCount(_ targets: Int, _ inputs: Int, _ data: InlineData) throws {
        guard targets == inputs else {
            throw ConfigError("\(inputs) input rows but \(targets) targets", at: data.targetsLocation, path: data.path + ".targets")
        }
    }
}
