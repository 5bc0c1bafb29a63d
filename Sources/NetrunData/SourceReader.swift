import Foundation
import NetrunConfig
import NetrunCore

/// Samples of one source as a data set, with the class names the source gives.
struct SourceSamples {
    var data: Dataset<Float>
    var classNames: [String]?
}

/// Reads one `DataSource` of a config into rows the model's input and loss accept.
struct SourceReader {
    let config: Config
    /// The model's output width, which decides how labels become target rows.
    let outputSize: Int

    init(config: Config) throws {
        self.config = config
        // The output width does not depend on the input width unless the model has no dense layer.
        let declared = config.model.inputs?.value ?? 0
        outputSize = NetworkBuilder.outputSize(config.model, inputSize: declared)
    }

    /// Reads `source`; `main` (the training source) imposes its width, target kind and class names.
    func read(_ source: DataSource, kindOf main: SourceSamples?) throws -> SourceSamples {
        var samples: SourceSamples
        switch source.kind {
        case .inline(let inline):
            samples = try readInline(inline, kind: main?.data.kind)
        case .csv(let csv):
            try requireFile(csv.file, hint: "")
            let label: CSVReader.LabelColumn = switch csv.label {
            case .index(let i): .index(i)
            case .name(let name): .name(name)
            }
            samples = try labeled(try CSVReader.read(csv.file.resolved, label: label, header: csv.header), source)
        case .idx(let idx):
            let hint = "; the MNIST files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) go in data/mnist/, see the README"
            try requireFile(idx.images, hint: hint)
            try requireFile(idx.labels, hint: hint)
            samples = try labeled(try IDXReader.read(images: idx.images.resolved, labels: idx.labels.resolved), source)
        case .cifar10(let cifar):
            let files = cifar.fileNames.map { cifar.folder.resolved + "/" + $0 }
            for file in files where !FileManager.default.fileExists(atPath: file) {
                let parent = cifar.folder.resolved.contains("/")
                    ? String(cifar.folder.resolved[..<cifar.folder.resolved.lastIndex(of: "/")!]) : "."
                throw cifar.folder.error("no CIFAR-10 batch at \(file); download the binary version, "
                    + "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, and extract it with "
                    + "'tar xzf cifar-10-binary.tar.gz -C \(parent.isEmpty ? "/" : parent)' (see data/README.md)")
            }
            samples = try labeled(try CIFAR10Reader.read(files), source)
        case .synthetic(let synthetic):
            try checkSize(of: synthetic, source)
            samples = try labeled(generate(synthetic), source)
        }
        if let limit = source.limit, limit.value < samples.data.count {
            samples.data = samples.data.subset(Array(0..<limit.value))
        }
        try checkWidth(samples.data, source, main: main)
        if let main { samples = try adopt(samples, classesOf: main, source) }
        return samples
    }

    private func generate(_ synthetic: SyntheticSource) -> LabeledSamples {
        var generator = SplitMix64(seed: SplitMix64.derive(config.seed, Self.syntheticStream))
        switch synthetic {
        case .xor(let count):
            return SyntheticData.xor(count: count, generator: &generator)
        case .spiral(let classes, let perClass, let noise):
            return SyntheticData.spiral(classes: classes, perClass: perClass, noise: noise, generator: &generator)
        case .blobs(let classes, let perClass, let dimensions, let spread):
            return SyntheticData.blobs(classes: classes, perClass: perClass, dimensions: dimensions, spread: spread,
                                       generator: &generator)
        }
    }

    /// Tags the random stream synthetic sets are drawn from.
    static let syntheticStream: UInt64 = 0x5359_4E54_48  // "SYNTH"

    private func requireFile(_ file: DataFile, hint: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
            let resolvedNote = file.resolved == file.written ? "" : " (looked for \(file.resolved), relative to the config's folder)"
            throw file.error("no such file: \(file.written)\(resolvedNote)\(hint)")
        }
    }

    /// Class labels as target rows: one-hot over the model's outputs, or the label itself for a
    /// one-output model.
    private func labeled(_ samples: LabeledSamples, _ source: DataSource) throws -> SourceSamples {
        let n = samples.rows
        let inputs = samples.inputs
        try checkTargetSize(rows: n, inputs: inputs, source)
        let classes = (samples.labels.max() ?? 0) + 1
        if outputSize >= 2 {
            guard classes <= outputSize else {
                let named = samples.classNames.map { " ('\($0[classes - 1])')" } ?? ""
                throw ConfigError("the data has class \(classes - 1)\(named) but the model has \(outputSize) outputs "
                                  + "(classes 0…\(outputSize - 1)); make the last dense layer \(classes) units wide",
                                  at: source.location, path: source.path)
            }
            let targets = Matrix<Float>(rows: n, cols: outputSize)
            targets.fill(0)
            for (row, label) in samples.labels.enumerated() { targets[row, label] = 1 }
            return SourceSamples(data: Dataset(inputs: inputs, targets: targets, kind: .classes(count: outputSize)),
                                 classNames: samples.classNames)
        }
        guard config.loss.value == .mse else {
            throw config.loss.error("\(config.loss.value.rawValue) needs a model with one output per class; "
                                    + "this model has 1 output")
        }
        let targets = Matrix<Float>(rows: n, cols: 1)
        for (row, label) in samples.labels.enumerated() { targets[row, 0] = Float(label) }
        let values = Set(samples.labels)
        let kind: TargetKind = values.count == 2 ? .binary(low: Double(values.min()!), high: Double(values.max()!)) : .real
        return SourceSamples(data: Dataset(inputs: inputs, targets: targets, kind: kind), classNames: samples.classNames)
    }

    private func readInline(_ inline: InlineData, kind: TargetKind?) throws -> SourceSamples {
        let width = inline.inputs[0].value.count
        for row in inline.inputs where row.value.count != width {
            throw row.error("this sample has \(row.value.count) values, the first has \(width)")
        }
        let resolver = TargetResolver(outputSize: outputSize, loss: config.loss)
        let (targets, resolvedKind) = try resolver.resolve(inline.targets, count: inline.inputs.count, at: inline, kind: kind)
        return SourceSamples(data: Dataset(inputs: Matrix(inline.inputs.map { $0.value.map { Float($0) } }),
                                           targets: Matrix(targets.map { $0.map { Float($0) } }), kind: resolvedKind),
                             classNames: nil)
    }

    private func checkWidth(_ data: Dataset<Float>, _ source: DataSource, main: SourceSamples?) throws {
        let expected = main?.data.inputs.cols ?? config.model.inputs?.value ?? data.inputs.cols
        guard data.inputs.cols == expected else {
            let reason = main != nil ? "the training samples have \(expected)"
                : "the model takes \(expected) inputs (model.inputs at line \(config.model.inputs?.location?.line ?? 0))"
            if case .inline(let inline) = source.kind {
                throw inline.inputs[0].error("samples have \(data.inputs.cols) values but \(reason)")
            }
            throw ConfigError("samples have \(data.inputs.cols) values but \(reason)", at: source.location, path: source.path)
        }
    }

    /// A held-out source takes the training source's target kind and class numbering: CSV files
    /// number string labels in sorted order, so a file missing a class would otherwise shift ids.
    func adopt(_ samples: SourceSamples, classesOf main: SourceSamples, _ source: DataSource) throws -> SourceSamples {
        var samples = samples
        if case .classes = main.data.kind { samples.data = Dataset(inputs: samples.data.inputs,
                                                                   targets: samples.data.targets, kind: main.data.kind) }
        guard let names = samples.classNames, names != main.classNames else { return samples }
        guard let mainNames = main.classNames else {
            throw ConfigError("this source names its classes (\(names.joined(separator: ", "))) but the training source numbers them",
                              at: source.location, path: source.path)
        }
        let ids = try names.map { name in
            guard let id = mainNames.firstIndex(of: name) else {
                throw ConfigError("class '\(name)' does not occur in the training source (\(mainNames.joined(separator: ", ")))",
                                  at: source.location, path: source.path)
            }
            return id
        }
        let targets = samples.data.targets
        let remapped = Matrix<Float>(rows: targets.rows, cols: targets.cols)
        remapped.fill(0)
        for row in 0..<targets.rows {
            remapped[row, ids[argmax(targets.row(row))]] = 1
        }
        samples.data = Dataset(inputs: samples.data.inputs, targets: remapped, kind: main.data.kind)
        samples.classNames = mainNames
        return samples
    }
}
