import NetrunConfig
import NetrunCore
import NetrunData

/// The likely reason a run diverged, so its message points at the setting to change: weight decay
/// that overflows or grows the weights, inputs so large that products overflow, or else the
/// learning rate. (Non-finite inputs never get this far: the data loader refuses them.)
enum DivergenceCause: Equatable {
    /// `reg` beyond Float, or learning_rate × reg > 2: each step multiplies the weights by
    /// (1 − learning_rate · reg), which then flips their sign and grows them (with momentum μ the
    /// bound is 2 · (1 + μ), as for plain gradient descent on any quadratic).
    case reg(Double)
    /// `preprocess.scale` made inputs as large as this.
    case scale(Double, largest: Float)
    /// Unscaled inputs this large.
    case largeInputs(Float)
    case learningRate(Double)

    /// Inputs at least this large make the squared terms of a gradient approach Float's range
    /// within a few steps, whatever the learning rate.
    static let largeInput: Float = 1e4

    static func diagnose<Scalar>(_ config: Config, data: Datasets<Scalar>) -> DivergenceCause {
        let training = config.training
        if !Float(training.reg).isFinite || decayOverflows(training) { return .reg(training.reg) }
        let inputs = data.train.inputs
        var largest: Float = 0
        for i in 0..<inputs.count { largest = max(largest, Float(abs(inputs.storage[i]))) }
        if largest >= largeInput {
            if let scale = config.data.preprocess.scale, scale > 1 { return .scale(scale, largest: largest) }
            return .largeInputs(largest)
        }
        return .learningRate(training.learningRate)
    }

    /// Whether the weight decay alone flips and grows the weights. SGD adds reg and its
    /// weight_decay to the gradient, so each step scales the weights by (1 − lr·(reg + weight_decay)),
    /// unstable past 2·(1 + momentum). AdamW decays apart from the gradient, by (1 − lr·weight_decay),
    /// unstable past 2. Adam divides the whole gradient, decay included, by its running scale, so no
    /// such bound holds and the learning rate is the setting to look at.
    static func decayOverflows(_ training: TrainingSettings) -> Bool {
        let rate = training.learningRate
        switch training.optimizer.settings {
        case let sgd as SGDSettings: return rate * (training.reg + sgd.weightDecay) > 2 * (1 + sgd.momentum)
        case let adam as AdamSettings where adam.decoupled: return rate * adam.weightDecay > 2
        default: return false
        }
    }

    /// What to change.
    var advice: String {
        switch self {
        case .reg(let reg) where !Float(reg).isFinite:
            "reg \(reg) is beyond Float's range (3.4e38), so the weight decay overflows; use a much smaller reg"
        case .reg(let reg):
            "learning_rate × reg (plus weight_decay) is above 2 (2·(1 + momentum) with momentum), so each step's weight decay "
                + "(w ← w·(1 − learning_rate·reg)) flips and grows the weights; use a smaller reg than \(reg) "
                + "(or a smaller learning rate or weight_decay)"
        case .scale(let scale, let largest):
            "preprocess.scale \(scale) makes inputs as large as \(largest), and products of them overflow; "
                + "use a smaller scale (1/255 for pixels) or standardize: true"
        case .largeInputs(let largest):
            "inputs are as large as \(largest); scale them (data.preprocess: {standardize: true}, or a scale) "
                + "or use a much smaller learning rate"
        case .learningRate(let rate):
            "try a smaller learning rate than \(rate)"
        }
    }

    /// The message a diverged run is recorded and reported with.
    static func message<Scalar>(step: Int, epoch: Int, _ prepared: PreparedRun<Scalar>) -> String {
        "training diverged at step \(step) (epoch \(epoch)): the loss became NaN or infinite; "
            + diagnose(prepared.config, data: prepared.data).advice
    }
}
