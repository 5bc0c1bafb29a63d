import NetrunConfig
import NetrunCore

/// Decides what targets mean and turns them into rows the loss can use.
///
/// - Class indices (`[0, 1, 1, 0]`) with a model of two or more outputs: one-hot rows.
/// - Rows of width equal to the output: one-hot or probability rows are classes; otherwise real values.
/// - A single output: real values; when they take exactly two values (0/1, −1/1) accuracy
///   thresholds at their midpoint.
struct TargetResolver {
    let outputSize: Int
    let loss: Located<LossFunction>

    private var takesDistributions: Bool { loss.value != .mse }

    /// The target rows and their kind; `kind` from the training set is imposed on a test set.
    func resolve(_ targets: InlineData.Targets, count: Int, at data: InlineData, kind imposed: TargetKind?) throws
        -> ([[Double]], TargetKind)
    {
        let rows: [[Double]]
        switch targets {
        case .indices(let indices) where outputSize >= 2:
            try checkCount(indices.count, count, data)
            rows = try indices.map { index in
                guard (0..<outputSize).contains(index.value) else {
                    throw index.error("class \(index.value) is out of range for a model with \(outputSize) outputs "
                                      + "(classes are 0…\(outputSize - 1))")
                }
                return (0..<outputSize).map { $0 == index.value ? 1 : 0 }
            }
        case .indices(let indices):
            try checkCount(indices.count, count, data)
            rows = indices.map { [Double($0.value)] }
        case .rows(let written):
            try checkCount(written.count, count, data)
            for row in written where row.value.count != outputSize {
                throw row.error("this target has \(row.value.count) values but the model has \(outputSize) outputs")
            }
            rows = written.map(\.value)
        }
        let kind = imposed ?? inferKind(rows)
        if takesDistributions, !rows.allSatisfy(isDistribution) {
            throw ConfigError("\(loss.value.rawValue) needs class indices, one-hot rows or rows of probabilities "
                              + "summing to 1; use 'loss: mse' for real-valued targets",
                              at: data.targetsLocation, path: data.path + ".targets")
        }
        return (rows, kind)
    }

    private func inferKind(_ rows: [[Double]]) -> TargetKind {
        if outputSize >= 2, rows.allSatisfy(isDistribution) { return .classes(count: outputSize) }
        if outputSize == 1 {
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
