import NetrunCore

extension ConfigLoader {
    private static let lossNames: [String: LossFunction] = Dictionary(
        uniqueKeysWithValues: LossFunction.allCases.map { ($0.rawValue, $0) })

    /// `loss: NAME` or `loss: {NAME: {option: value, …}}`; each loss reads only its own options,
    /// so an option it does not take is an unknown key with a suggestion.
    /// The third value is where `class_weights: balanced` is written, when it is: those weights
    /// are worked out from the training split, once the data is loaded.
    static func decodeLoss(_ value: ConfigValue) throws -> (Located<LossFunction>, LossOptions, Located<Bool>?) {
        let names = LossFunction.allCases.map(\.rawValue)
        let (name, written) = try nameAndOptions(value, what: "loss", among: names,
                                                 example: "'loss: softmax_cross_entropy' or '{softmax_cross_entropy: {label_smoothing: 0.1}}'")
        let function = lossNames[name.value]!
        var options = LossOptions()
        var balanced: Located<Bool>?
        guard let written else { return (Located(function, at: value), options, nil) }
        let mapping = try written.mapping()
        switch function {
        case .crossEntropy, .softmaxCrossEntropy:
            if let label = mapping.optional("ignore_label") {
                let k = try label.int()
                guard k >= 0 else { throw label.error("ignore_label is a class index (0 or more), got \(k)") }
                options.ignoreLabel = k
            }
            if let mode = mapping.optional("normalization") {
                options.normalization = try mode.choice("normalization", KeyValuePairs(dictionaryLiteral:
                    ("valid", .valid), ("batch_size", .batchSize), ("full", .full), ("none", .none)))
            }
            if let weights = mapping.optional("class_weights") {
                if case .scalar = weights.node.kind {
                    guard try weights.string() == "balanced" else {
                        throw weights.error("class_weights is a list of one weight per class, or 'balanced'")
                    }
                    balanced = Located(true, at: weights)
                } else {
                    options.classWeights = try weights.sequence().map { item in
                        let w = try item.double()
                        guard w >= 0, w.isFinite else { throw item.error("a class weight must be a finite number ≥ 0, got \(w)") }
                        return w
                    }
                }
            }
            if let smoothing = mapping.optional("label_smoothing") {
                let epsilon = try smoothing.double()
                guard epsilon >= 0, epsilon < 1 else {
                    throw smoothing.error("label_smoothing must be in [0, 1), got \(epsilon)")
                }
                options.labelSmoothing = epsilon
            }
        case .mse, .huber:
            for key in ["ignore_label", "normalization", "class_weights", "label_smoothing"] {
                if let misplaced = mapping.optional(key) {
                    throw misplaced.error("\(key) is an option of cross_entropy and softmax_cross_entropy, not of \(name.value)")
                }
            }
            if let reduction = mapping.optional("reduction") {
                options.sumsOverBatch = try reduction.choice("reduction", KeyValuePairs(dictionaryLiteral:
                    ("mean", false), ("sum", true)))
            }
            if function == .huber, let delta = mapping.optional("delta") {
                let d = try delta.double()
                guard d > 0, d.isFinite else { throw delta.error("huber's delta must be a finite number > 0, got \(d)") }
                options.huberDelta = d
            }
        }
        try mapping.finish()
        return (Located(function, at: value), options, balanced)
    }
}
