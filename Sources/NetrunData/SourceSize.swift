import Foundation
import NetrunConfig
import NetrunCore

/// How many samples of what width a source holds, as far as that is known without reading it:
/// written in the config (inline, synthetic), declared by a header (IDX) or implied by file sizes
/// (CIFAR-10). A run's memory can then be estimated before anything is loaded.
public struct SourceSize: Sendable, Equatable {
    /// nil when only reading the source tells (CSV).
    public var rows: Int?
    /// Features per sample; nil when only reading the source tells.
    public var width: Int?

    public init(rows: Int?, width: Int?) {
        self.rows = rows
        self.width = width
    }

    public init(_ source: DataSource) {
        switch source.kind {
        case .inline(let inline):
            self.init(rows: inline.inputs.count, width: inline.inputs.first?.value.count)
        case .synthetic(let synthetic):
            self.init(rows: synthetic.sampleCount, width: synthetic.width)
        case .idx(let idx):
            let shape = IDXReader.declaredShape(idx.images.resolved, dimensions: 3)
            self.init(rows: shape?[0], width: shape.map { ByteCount.product([$0[1], $0[2]]) })
        case .cifar10(let cifar):
            // Compressed batches are smaller than their records: a lower bound, as wanted here.
            let sizes = cifar.fileNames.compactMap { try? FileBytes.size(cifar.folder.resolved + "/" + $0) }
            self.init(rows: sizes.reduce(0, +) / CIFAR10Reader.recordSize, width: CIFAR10Reader.imageSize)
        case .csv:
            self.init(rows: nil, width: nil)
        }
        if let limit = source.limit?.value, let rows { self.rows = min(rows, limit) }
        if let range = source.rows?.value, let rows { self.rows = max(0, min(rows, range.upperBound) - range.lowerBound) }
    }
}

extension SyntheticSource {
    /// Samples the set holds; `Int.max` when the product overflows.
    public var sampleCount: Int {
        switch self {
        case .xor(let count): count
        case .spiral(let classes, let perClass, _), .blobs(let classes, let perClass, _, _):
            ByteCount.product([classes, perClass])
        }
    }

    /// Features per sample.
    public var width: Int {
        if case .blobs(_, _, let dimensions, _) = self { return dimensions }
        return 2
    }

    /// `100000 classes × 100000 per class`, as the config writes the size.
    var sizeText: String {
        switch self {
        case .xor(let count): "count \(count)"
        case .spiral(let classes, let perClass, _): "\(classes) classes × \(perClass) per class"
        case .blobs(let classes, let perClass, let dimensions, _):
            "\(classes) classes × \(perClass) per class in \(dimensions) dimensions"
        }
    }
}

extension SourceReader {
    /// Refuses a synthetic set too large to generate within the memory budget: its features are
    /// made as an array, copied into a matrix, and given labels (target rows are checked where
    /// they are made, by `TargetResolver`).
    func checkSize(of synthetic: SyntheticSource, _ source: DataSource) throws {
        let rows = synthetic.sampleCount
        let need = ByteCount.floats(rows, synthetic.width) * 2 + ByteCount(rows) * 8
        let budget = MemoryBudget.current
        guard budget.allows(need) else {
            throw ConfigError("a synthetic set of \(rows == .max ? "more than \(Int.max)" : String(rows)) samples "
                              + "(\(synthetic.sizeText)) needs \(need) to generate, more than the memory budget of \(budget)",
                              at: source.location, path: source.path + ".synthetic")
        }
    }
}

extension TargetResolver {
    /// Refuses target rows for `rows` samples when one per model output would not fit the memory
    /// budget beside the inputs already read.
    func checkTargetSize(rows: Int, inputs: Matrix<Float>, _ source: DataSource) throws {
        let need = ByteCount.floats(rows, outputs) + ByteCount.floats(inputs.rows, inputs.cols)
        let budget = MemoryBudget.current
        guard budget.allows(need) else {
            throw ConfigError("\(rows) samples with a target for each of the model's \(outputs) outputs need \(need) "
                              + "with their inputs, more than the memory budget of \(budget)",
                              at: source.location, path: source.path)
        }
    }
}
