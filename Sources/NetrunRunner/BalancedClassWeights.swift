import NetrunConfig
import NetrunCore

/// `class_weights: balanced`, as scikit-learn's `compute_class_weight("balanced")`:
/// w_c = n_samples / (n_classes · n_c), counted on the training split (every sample, ignored
/// label included), so a rare class weighs as much in the loss as a common one.
enum BalancedClassWeights {
    /// The weights for `train`'s class targets; an error at `written` when a class has no sample
    /// or the targets are not classes.
    static func of<Scalar>(_ train: Dataset<Scalar>, written: Located<Bool>, loss: LossFunction) throws -> [Double] {
        guard case .classes(let classes) = train.kind else {
            throw written.error("balanced counts classes, but the targets are not class labels")
        }
        var counts = [Int](repeating: 0, count: classes)
        for row in 0..<train.count {
            let target = train.targets.row(row)
            guard let k = target.firstIndex(of: 1), target.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw written.error("balanced needs one class per sample, but training sample \(row + 1) "
                                    + "has a row of probabilities; write the weights as a list")
            }
            counts[k] += 1
        }
        if let empty = counts.firstIndex(of: 0) {
            throw written.error("balanced divides by each class's count, but class \(empty) has no "
                                + "training sample; write the weights as a list")
        }
        let n = Double(train.count), k = Double(classes)
        return counts.map { n / (k * Double($0)) }
    }

    /// The override that records `weights` with the run, so resume, eval and predict rebuild the
    /// same loss without the training data.
    static func override(_ weights: [Double], loss: LossFunction) throws -> ConfigOverride {
        try ConfigOverride.parse(argument: "loss.\(loss.rawValue).class_weights=["
                                 + weights.map { "\($0)" }.joined(separator: ", ") + "]")
    }
}
