import Foundation
import NetrunConfig
import NetrunCore

/// A source's samples as read: features, and labels not yet turned into targets.
struct RawSamples {
    /// (rows, width)
    var inputs: Matrix<Float>
    var labels: SourceLabels
}

/// What a source says about each sample's target, before a model gives it a meaning.
enum SourceLabels {
    /// Class ids by the format's definition (IDX, CIFAR-10, synthetic sets), with names when it has them.
    case classIDs([Int], names: [String]?)
    /// A CSV label column as written, with the source that says which column and what type.
    case written(WrittenLabels, csv: CSVSource)
    /// Targets written in the config.
    case inline(InlineData)
}

/// Reads one `DataSource` of a config into features and labels; what the labels mean is the
/// `TargetResolver`'s to decide, so nothing here depends on the model or the loss.
struct SourceReader {
    let seed: UInt64

    func read(_ source: DataSource) throws -> RawSamples {
        switch source.kind {
        case .inline(let inline):
            let width = inline.inputs[0].value.count
            for row in inline.inputs where row.value.count != width {
                throw row.error("this sample has \(row.value.count) values, the first has \(width)")
            }
            return RawSamples(inputs: Matrix(inline.inputs.map { $0.value.map { Float($0) } }), labels: .inline(inline))
        case .csv(let csv):
            try requireFile(csv.file, hint: "")
            let label: CSVReader.LabelColumn = switch csv.label {
            case .index(let i): .index(i)
            case .name(let name): .name(name)
            }
            let samples = try CSVReader.read(csv.file.resolved, label: label, header: csv.header)
            return RawSamples(inputs: samples.inputs, labels: .written(samples.labels, csv: csv))
        case .idx(let idx):
            let hint = "; the MNIST files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) go in data/mnist/, see the README"
            try requireFile(idx.images, hint: hint)
            try requireFile(idx.labels, hint: hint)
            return raw(try IDXReader.read(images: idx.images.resolved, labels: idx.labels.resolved))
        case .cifar10(let cifar):
            let files = cifar.fileNames.map { cifar.folder.resolved + "/" + $0 }
            for file in files where !FileManager.default.fileExists(atPath: file) {
                let parent = cifar.folder.resolved.contains("/")
                    ? String(cifar.folder.resolved[..<cifar.folder.resolved.lastIndex(of: "/")!]) : "."
                throw cifar.folder.error("no CIFAR-10 batch at \(file); download the binary version, "
                    + "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, and extract it with "
                    + "'tar xzf cifar-10-binary.tar.gz -C \(parent.isEmpty ? "/" : parent)' (see data/README.md)")
            }
            return raw(try CIFAR10Reader.read(files))
        case .synthetic(let synthetic):
            try checkSize(of: synthetic, source)
            return raw(generate(synthetic))
        }
    }

    private func raw(_ samples: LabeledSamples) -> RawSamples {
        RawSamples(inputs: samples.inputs, labels: .classIDs(samples.labels, names: samples.classNames))
    }

    private func generate(_ synthetic: SyntheticSource) -> LabeledSamples {
        var generator = SplitMix64(seed: SplitMix64.derive(seed, Self.syntheticStream))
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
}
