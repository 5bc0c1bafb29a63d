import NetrunCore

extension ConfigLoader {
    /// `optimizer: NAME` or `optimizer: {NAME: {option: value, …}}`, with PyTorch's option names
    /// and defaults; `momentum` is `training.momentum` (SGD's, written the old way) when present.
    static func decodeOptimizer(_ value: ConfigValue?, momentum: ConfigValue?) throws -> OptimizerChoice {
        guard let value else { return OptimizerChoice(try decodeSGD(nil, nil, momentum)) }
        let (name, options) = try nameAndOptions(value, what: "optimizer", among: OptimizerRegistry.names,
                                                 example: "'optimizer: adam' or '{sgd: {momentum: 0.9, nesterov: true}}'")
        let decode = OptimizerRegistry.optimizers.first { $0.name == name.value }!.decode
        return OptimizerChoice(try decode(name, options, momentum))
    }

    /// `sgd: {momentum, dampening, nesterov, weight_decay}` as `torch.optim.SGD` checks them, with
    /// momentum below 1 as `training.momentum` has always been.
    static func decodeSGD(_ name: Located<String>?, _ options: ConfigValue?, _ legacyMomentum: ConfigValue?) throws
        -> any OptimizerSettings
    {
        var settings = SGDSettings()
        if let legacyMomentum { settings.momentum = try momentumValue(legacyMomentum) }
        guard let options else { return settings }
        let mapping = try options.mapping()
        try refuseMisplaced(mapping, ["betas", "eps", "amsgrad"], belongTo: "adam and adamw", not: "sgd")
        if let momentum = mapping.optional("momentum") {
            if let legacyMomentum {
                throw legacyMomentum.error("momentum is also given at \(momentum.path); keep one")
            }
            settings.momentum = try momentumValue(momentum)
        }
        if let dampening = mapping.optional("dampening") {
            settings.dampening = try number(dampening, atLeast: 0)
            guard settings.dampening <= 1 else {
                throw dampening.error("dampening scales the new gradient by 1 − dampening and must be at most 1, got \(settings.dampening)")
            }
        }
        if let weightDecay = mapping.optional("weight_decay") { settings.weightDecay = try number(weightDecay, atLeast: 0) }
        if let nesterov = mapping.optional("nesterov") {
            settings.nesterov = try nesterov.bool()
            if settings.nesterov, settings.momentum <= 0 || settings.dampening != 0 {
                throw nesterov.error("nesterov needs a momentum above 0 and dampening 0 (as torch.optim.SGD), "
                                     + "got momentum \(settings.momentum) and dampening \(settings.dampening)")
            }
        }
        try mapping.finish()
        return settings
    }

    /// `adam` or `adamw: {betas, eps, weight_decay, amsgrad}` as `torch.optim.Adam`/`AdamW` check
    /// them; weight_decay defaults to 0 for adam and 0.01 for adamw, as in PyTorch.
    static func decodeAdam(_ name: Located<String>, _ options: ConfigValue?, _ legacyMomentum: ConfigValue?,
                           decoupled: Bool) throws -> any OptimizerSettings
    {
        if let legacyMomentum {
            throw legacyMomentum.error("momentum is an option of sgd; \(name.value)'s counterpart is betas[0] "
                                       + "under optimizer: {\(name.value): {betas: [0.9, 0.999]}}")
        }
        var settings = AdamSettings(decoupled: decoupled)
        guard let options else { return settings }
        let mapping = try options.mapping()
        try refuseMisplaced(mapping, ["momentum", "dampening", "nesterov"], belongTo: "sgd", not: name.value)
        if let betas = mapping.optional("betas") {
            let items = try betas.sequence()
            guard items.count == 2 else { throw betas.error("betas is a list of two numbers [β₁, β₂], got \(items.count)") }
            let values = try items.map { item in
                let beta = try item.double()
                guard beta >= 0, beta < 1 else { throw item.error("a beta must be in [0, 1), got \(beta)") }
                return beta
            }
            (settings.beta1, settings.beta2) = (values[0], values[1])
        }
        if let eps = mapping.optional("eps") { settings.eps = try number(eps, atLeast: 0) }
        if let weightDecay = mapping.optional("weight_decay") { settings.weightDecay = try number(weightDecay, atLeast: 0) }
        if let amsgrad = mapping.optional("amsgrad") { settings.amsgrad = try amsgrad.bool() }
        try mapping.finish()
        return settings
    }

    private static func momentumValue(_ value: ConfigValue) throws -> Double {
        let momentum = try number(value, atLeast: 0)
        guard momentum < 1 else { throw value.error("momentum must be below 1, got \(momentum)") }
        return momentum
    }

    /// Refuses another optimizer's options, and `lr`, by name rather than as unknown keys.
    private static func refuseMisplaced(_ mapping: ConfigMapping, _ keys: [String], belongTo owners: String,
                                        not name: String) throws {
        for key in keys where mapping.contains(key) {
            throw try mapping.required(key).error("\(key) is an option of \(owners), not of \(name)")
        }
        if mapping.contains("lr") {
            throw try mapping.required("lr").error("the learning rate is training.learning_rate, for every optimizer")
        }
    }
}
