import NetrunCore

extension ConfigLoader {
    /// `model:` — `inputs`, `layers` and `bias_trick`.
    static func decodeModel(_ value: ConfigValue) throws -> ModelConfig {
        let model = try value.mapping()
        let inputs = try model.optional("inputs").map { Located(try positiveInt($0), at: $0) }
        let layersValue = try model.required("layers")
        let layers = try layersValue.sequence().map(decodeLayer)
        guard !layers.isEmpty else { throw layersValue.error("a model needs at least one layer") }
        var config = ModelConfig(inputs: inputs, layers: layers)
        if let biasTrick = model.optional("bias_trick") {
            config.biasTrick = try biasTrick.bool()
            let dense = layers.filter { if case .dense = $0.kind { true } else { false } }
            if config.biasTrick, dense.count != 1 {
                throw biasTrick.error("bias_trick folds the bias into the weights of a single dense layer "
                                      + "(cs231n's linear classifiers); this model has \(dense.count) dense layers")
            }
        }
        try model.finish()
        return config
    }

    static let activationNames = ["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "identity"]
    private static let layerNames = ["dense"] + activationNames

    /// A layer is `- relu`, `- dense: 4`, `- dense: {units: 4, activation: tanh}` or `- leaky_relu: {slope: 0.1}`.
    static func decodeLayer(_ value: ConfigValue) throws -> LayerConfig {
        let (name, options) = try nameAndOptions(value, what: "layer", among: layerNames,
                                                 example: "'- dense: {units: 4}' or '- relu'")
        let kind: LayerConfig.Kind
        if name.value == "dense" {
            guard let options else { throw name.error("a dense layer needs units, e.g. '- dense: {units: 4}'") }
            kind = try decodeDense(options)
        } else {
            kind = .activation(try activation(named: name, options: options))
        }
        return LayerConfig(kind: kind, location: value.location, path: value.path)
    }

    private static func decodeDense(_ value: ConfigValue) throws -> LayerConfig.Kind {
        if case .scalar = value.node.kind { return .dense(units: try positiveInt(value), activation: nil, initialization: nil) }
        let dense = try value.mapping()
        let kind = LayerConfig.Kind.dense(
            units: try positiveInt(try dense.required("units")),
            activation: try dense.optional("activation").map(decodeActivation),
            initialization: try dense.optional("init").map(decodeInitialization))
        try dense.finish()
        return kind
    }

    /// An activation as a name, or `{leaky_relu: {slope: 0.2}}`.
    static func decodeActivation(_ value: ConfigValue) throws -> Activation {
        let (name, options) = try nameAndOptions(value, what: "activation", among: activationNames,
                                                 example: "'tanh' or '{leaky_relu: {slope: 0.1}}'")
        return try activation(named: name, options: options)
    }

    private static func activation(named name: Located<String>, options: ConfigValue?) throws -> Activation {
        switch name.value {
        case "leaky_relu":
            guard let options else { return .leakyReLU(slope: 0.01) }
            let mapping = try options.mapping()
            let slope = try mapping.optional("slope")?.double() ?? 0.01
            try mapping.finish()
            return .leakyReLU(slope: slope)
        default:
            if let options { throw options.error("\(name.value) takes no options") }
            switch name.value {
            case "sigmoid": return .sigmoid
            case "tanh": return .tanh
            case "relu": return .relu
            case "softmax": return .softmax
            default: return .identity
            }
        }
    }

    /// `init: xavier`, `init: he`, or with a number: `{xavier: GAIN}`, `{he: GAIN}`, `{uniform: SCALE}`, `{normal: STD}`.
    static func decodeInitialization(_ value: ConfigValue) throws -> Initialization {
        let (name, options) = try nameAndOptions(value, what: "init", among: ["uniform", "normal", "xavier", "he"],
                                                 example: "'xavier' or '{normal: 0.01}'")
        let number = try options.map { try self.number($0, above: 0) }
        switch name.value {
        case "xavier": return .xavier(gain: number ?? 1)
        case "he": return .he(gain: number ?? 1)
        default:
            guard let number else { throw name.error("\(name.value) needs a scale, e.g. 'init: {\(name.value): 0.01}'") }
            return name.value == "uniform" ? .uniform(scale: number) : .normal(scale: number)
        }
    }

    /// Reads `NAME` or a one-key mapping `NAME: OPTIONS`, checking NAME against `names`.
    static func nameAndOptions(_ value: ConfigValue, what: String, among names: [String], example: String)
        throws -> (Located<String>, ConfigValue?)
    {
        let name: Located<String>, options: ConfigValue?
        if case .mapping(let entries) = value.node.kind {
            guard entries.count == 1, let entry = entries.first else {
                throw value.error("write one \(what) per entry, e.g. \(example)")
            }
            let written = try value.mapping().required(entry.key)
            name = Located(entry.key, location: entry.keyLocation, path: value.path)
            options = written.isNull ? nil : written
        } else {
            name = Located(try value.string(), at: value)
            options = nil
        }
        guard names.contains(name.value) else {
            let hint = suggestion(for: name.value, among: names).map { " (did you mean '\($0)'?)" } ?? ""
            throw name.error("unknown \(what) '\(name.value)'\(hint); expected one of: \(names.joined(separator: ", "))")
        }
        return (name, options)
    }
}
