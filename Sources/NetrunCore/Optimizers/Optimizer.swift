/// Updates parameters from their gradients, keeping per-parameter state (momentum buffers, Adam's
/// moments) between steps, each as its PyTorch counterpart in `torch.optim` defines it.
///
/// The learning rate is an argument of `step`, not part of the optimizer: the trainer owns the
/// rate in force (`TrainingProgress.learningRate`) and a schedule changes it there alone.
public protocol Optimizer<Scalar>: AnyObject {
    associatedtype Scalar: NetScalar

    /// One update of every parameter from its gradient at `learningRate` (the gradient is read,
    /// not changed).
    func step(_ parameters: [Parameter<Scalar>], learningRate: Double)

    /// The state tensors by their checkpoint names (PyTorch's state names; SGD's
    /// `momentum_buffer` is `velocity`), each a list of one tensor per parameter in parameter
    /// order. Empty before the first step, and always for an optimizer without state.
    var state: [String: [Matrix<Scalar>]] { get }

    /// Puts back the state a checkpoint saved after `steps` updates (Adam's step count `t`).
    /// The caller has checked it with `Checkpoint.mismatch(parameterSizes:optimizer:)`.
    func restore(_ state: [String: [[Scalar]]], steps: Int, parameters: [Parameter<Scalar>])
}

/// An optimizer as a config names it (`training.optimizer`), with its hyperparameters: what
/// makes the optimizer and tells, before one exists, which state its checkpoints hold.
///
/// A new optimizer is one file here (its `Optimizer` and its `OptimizerSettings`) plus its line
/// in NetrunConfig's `OptimizerRegistry`.
public protocol OptimizerSettings: Sendable, Equatable, CustomStringConvertible {
    /// The config name: `sgd`, `adam`, `adamw`.
    var name: String { get }
    /// The state tensors it keeps once it has stepped, by checkpoint name.
    var stateNames: [String] { get }
    func makeOptimizer<Scalar: NetScalar>(_ scalar: Scalar.Type) -> any Optimizer<Scalar>
}

/// `training.optimizer` as `TrainingSettings` holds it: any optimizer's settings, compared by value.
public struct OptimizerChoice: Sendable, Equatable, CustomStringConvertible {
    public let settings: any OptimizerSettings

    public init(_ settings: some OptimizerSettings) { self.settings = settings }

    public var name: String { settings.name }
    public var stateNames: [String] { settings.stateNames }
    public var description: String { settings.description }

    public func makeOptimizer<Scalar: NetScalar>(_ scalar: Scalar.Type) -> any Optimizer<Scalar> {
        settings.makeOptimizer(scalar)
    }

    public static func == (a: OptimizerChoice, b: OptimizerChoice) -> Bool {
        func same<S: OptimizerSettings>(_ x: S) -> Bool { (b.settings as? S) == x }
        return same(a.settings)
    }
}

extension Optimizer {
    /// `saved`'s values in fresh matrices shaped like `parameters` (sizes checked by the caller).
    static func matrices(_ saved: [[Scalar]], like parameters: [Parameter<Scalar>]) -> [Matrix<Scalar>] {
        zip(saved, parameters).map { values, parameter in
            Matrix(rows: parameter.value.rows, cols: parameter.value.cols, values: values)
        }
    }

    /// Zeroed matrices shaped like `parameters`.
    static func zeros(like parameters: [Parameter<Scalar>]) -> [Matrix<Scalar>] {
        parameters.map { Matrix(rows: $0.value.rows, cols: $0.value.cols) }
    }
}
