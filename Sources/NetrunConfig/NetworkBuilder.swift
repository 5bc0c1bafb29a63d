import NetrunCore

/// Turns a checked `Config` into a `Network`: the one place names become types and shapes are checked.
public enum NetworkBuilder {
    /// The network's input width: `model.inputs`, or the data's width when the model does not say.
    public static func inputSize(_ config: Config, dataWidth: Int) -> Int {
        config.model.inputs?.value ?? dataWidth
    }

    /// The width of the model's output for `inputSize` inputs.
    public static func outputSize(_ model: ModelConfig, inputSize: Int) -> Int {
        model.layers.reduce(inputSize) { width, layer in
            if case .dense(let units, _, _) = layer.kind { return units }
            return width
        }
    }

    /// Checks the model against its loss and builds it, drawing initial weights from `generator`
    /// layer by layer.
    public static func build<Scalar: NetScalar>(_ config: Config, inputSize: Int, generator: inout SplitMix64,
                                                as: Scalar.Type = Scalar.self) throws -> Network<Scalar> {
        try checkLossFitsModel(config)
        try checkLossOptions(config, classes: outputSize(config.model, inputSize: inputSize))
        var layers: [any Layer<Scalar>] = []
        var width = inputSize
        for (index, layer) in config.model.layers.enumerated() {
            switch layer.kind {
            case .dense(let units, let activation, let initialization):
                // The decoder allows the bias trick on a model's only dense layer.
                let biasTrick = config.model.biasTrick
                let dense = Dense<Scalar>(inputSize: width, outputSize: units, regularizesBias: biasTrick)
                let following = activation ?? nextActivation(config.model.layers, after: index)
                let drawn = initialization ?? defaultInitialization(before: following)
                if biasTrick {
                    drawn.fill(dense.weight.value, andBias: dense.bias.value, using: &generator)
                } else {
                    drawn.fill(dense.weight.value, using: &generator)
                }
                layers.append(dense)
                width = units
                if let activation { layers.append(ActivationLayer(activation, size: width)) }
            case .activation(let activation):
                layers.append(ActivationLayer(activation, size: width))
            case .dropout(let p):
                // Each dropout layer hashes its masks from its own seed: the run's, mixed with its index.
                layers.append(Dropout(p: p, size: width, seed: SplitMix64.derive(config.seed ^ dropoutTag, UInt64(layers.count))))
            }
        }
        try freeze(config.model.freeze, in: layers)
        return Network(inputSize: inputSize, layers: layers, loss: makeLoss(config.loss.value, options: config.lossOptions))
    }

    /// Tags dropout seeds apart from the run's other derived streams ("drop").
    private static let dropoutTag: UInt64 = 0x6472_6F70

    /// Marks the parameters of the layers `indices` (nn.Sequential numbering) frozen; an index
    /// that is not a layer with parameters is an error at that index.
    private static func freeze<Scalar: NetScalar>(_ indices: [Located<Int>], in layers: [any Layer<Scalar>]) throws {
        let withParameters = layers.indices.filter { !layers[$0].parameters.isEmpty }
        for index in indices {
            let listed = "layers with parameters (numbered as `netrun export` names them): "
                + withParameters.map(String.init).joined(separator: ", ")
            guard layers.indices.contains(index.value) else {
                throw index.error("there is no layer \(index.value): the model has layers 0…\(layers.count - 1); " + listed)
            }
            let layer = layers[index.value]
            guard !layer.parameters.isEmpty else {
                throw index.error("layer \(index.value) is \(layer.kind), which has no parameters to freeze; " + listed)
            }
            for parameter in layer.parameters { parameter.isFrozen = true }
        }
    }

    /// He for the ReLU family (it keeps their activations from shrinking layer by layer), Xavier otherwise.
    static func defaultInitialization(before activation: Activation?) -> Initialization {
        activation?.function.hasKinkAtZero == true ? .he(gain: 1) : .xavier(gain: 1)
    }

    private static func nextActivation(_ layers: [LayerConfig], after index: Int) -> Activation? {
        guard index + 1 < layers.count, case .activation(let activation) = layers[index + 1].kind else { return nil }
        return activation
    }

    /// Refuses class options that do not fit the model's `classes` outputs, at the loss.
    private static func checkLossOptions(_ config: Config, classes: Int) throws {
        let options = config.lossOptions
        if let weights = options.classWeights, weights.count != classes {
            throw config.loss.error("class_weights has \(weights.count) weights but the model has \(classes) outputs (one weight per class)")
        }
        if let label = options.ignoreLabel, label >= classes {
            throw config.loss.error("ignore_label \(label) is not a class of a model with \(classes) outputs (0…\(classes - 1))")
        }
    }

    /// The classic mistakes: a softmax before the fused loss (softmax applied twice), and
    /// cross-entropy on outputs that are not probabilities.
    private static func checkLossFitsModel(_ config: Config) throws {
        let last = config.model.layers.last!
        let endsInSoftmax: Bool
        switch last.kind {
        case .activation(let activation): endsInSoftmax = activation == .softmax
        case .dense(_, let activation, _): endsInSoftmax = activation == .softmax
        case .dropout: endsInSoftmax = false
        }
        switch config.loss.value {
        case .softmaxCrossEntropy where endsInSoftmax:
            throw ConfigError("softmax_cross_entropy takes logits and applies softmax itself: remove the final softmax, "
                              + "or use 'loss: cross_entropy'", at: last.location, path: last.path)
        case .crossEntropy where !endsInSoftmax:
            throw config.loss.error("cross_entropy takes probabilities: end the model with a softmax layer, "
                                    + "or use 'loss: softmax_cross_entropy' on logits")
        default:
            break
        }
    }
}
