import NetrunCore

extension ConfigLoader {
    /// `model:` — `inputs`, `layers`, `bias_trick`, `init_from` and `freeze`; `init_from`'s file
    /// resolves against `folder`, the config's.
    static func decodeModel(_ value: ConfigValue, folder: String = ".") throws -> ModelConfig {
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
        if let initFrom = model.optional("init_from") { config.initFrom = try decodeInitFrom(initFrom, folder: folder) }
        if let freeze = model.optional("freeze") {
            config.freeze = try freeze.sequence().map { Located(try $0.int(), at: $0) }
        }
        try model.finish()
        return config
    }

    /// `init_from: PATH.safetensors` (relative to the config's folder) or `init_from: {run: ID}`.
    private static func decodeInitFrom(_ value: ConfigValue, folder: String) throws -> Located<WarmStartSource> {
        if case .mapping = value.node.kind {
            let mapping = try value.mapping()
            let run = try mapping.required("run")
            let id = try run.int()
            guard id >= 1 else { throw run.error("a run id is a positive integer, got \(id)") }
            try mapping.finish()
            return Located(.run(Int64(id)), at: value)
        }
        let file = try decodeFile(value, folder: folder)
        return Located(.file(file), at: value)
    }

    /// A layer is `- relu`, `- dense: 4`, `- dense: {units: 4, activation: tanh}`, `- dropout: {p: 0.5}`
    /// or `- leaky_relu: {slope: 0.1}`.
    static func decodeLayer(_ value: ConfigValue) throws -> LayerConfig {
        let (name, options) = try nameAndOptions(value, what: "layer", among: LayerRegistry.layerNames,
                                                 example: "'- dense: {units: 4}' or '- relu'")
        let kind: LayerConfig.Kind
        if let layer = LayerRegistry.layers.first(where: { $0.name == name.value }) {
            kind = try layer.decode(name, options)
        } else {
            kind = .activation(try activation(named: name, options: options))
        }
        return LayerConfig(kind: kind, location: value.location, path: value.path)
    }

    /// `- dense: 4` or `- dense: {units: 4, activation: tanh, init: he}`.
    @Sendable static func decodeDense(_ name: Located<String>, _ options: ConfigValue?) throws -> LayerConfig.Kind {
        guard let value = options else { throw name.error("a dense layer needs units, e.g. '- dense: {units: 4}'") }
        if case .scalar = value.node.kind { return .dense(units: try positiveInt(value), activation: nil, initialization: nil) }
        let dense = try value.mapping()
        let kind = LayerConfig.Kind.dense(
            units: try positiveInt(try dense.required("units")),
            activation: try dense.optional("activation").map(decodeActivation),
            initialization: try dense.optional("init").map(decodeInitialization))
        try dense.finish()
        return kind
    }

    /// `- dropout` (p = 0.5, PyTorch's default), `- dropout: 0.2` or `- dropout: {p: 0.2}`.
    @Sendable static func decodeDropout(_ name: Located<String>, _ options: ConfigValue?) throws -> LayerConfig.Kind {
        guard let options else { return .dropout(p: 0.5) }
        let value: ConfigValue
        if case .scalar = options.node.kind {
            value = options
        } else {
            // Unknown keys first: `{rate: 0.5}` is a misnamed p, not a missing one.
            let mapping = try options.mapping()
            let written = mapping.optional("p")
            try mapping.finish()
            guard let written else { throw options.error("dropout needs p, e.g. '- dropout: {p: 0.5}'") }
            value = written
        }
        let p = try value.double()
        guard p >= 0, p < 1 else {
            throw value.error("dropout p is the probability of zeroing a value and must be in [0, 1), got \(p)")
        }
        return .dropout(p: p)
    }

    /// An activation as a name, or `{leaky_relu: {slope: 0.2}}`.
    static func decodeActivation(_ value: ConfigValue) throws -> Activation {
        let (name, options) = try nameAndOptions(value, what: "activation", among: LayerRegistry.activationNames,
                                                 example: "'tanh' or '{leaky_relu: {slope: 0.1}}'")
        return try activation(named: name, options: options)
    }

    /// `nameAndOptions` has checked the name against the registry.
    private static func activation(named name: Located<String>, options: ConfigValue?) throws -> Activation {
        guard let entry = LayerRegistry.activations.first(where: { $0.name == name.value }) else {
            throw name.error("unknown activation '\(name.value)'")
        }
        return try entry.decode(name, options)
    }

    /// `leaky_relu` or `leaky_relu: {slope: 0.1}`; the slope defaults to PyTorch's 0.01.
    @Sendable static func decodeLeakyReLU(_ name: Located<String>, _ options: ConfigValue?) throws -> Activation {
        guard let options else { return .leakyReLU(slope: 0.01) }
        let mapping = try options.mapping()
        let slope = try mapping.optional("slope")?.double() ?? 0.01
        try mapping.finish()
        return .leakyReLU(slope: slope)
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
