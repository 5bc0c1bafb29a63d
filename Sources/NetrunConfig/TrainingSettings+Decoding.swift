import NetrunCore

extension ConfigLoader {
    /// `training:` — optimizer, learning_rate, learning_rate_decay, momentum, reg, epochs or
    /// iterations, batch_size, shuffle, sampling, log_every, checkpoint_every, metrics, dtype.
    static func decodeTraining(_ value: ConfigValue) throws -> TrainingSettings {
        let training = try value.mapping()
        let epochsValue = training.optional("epochs"), iterationsValue = training.optional("iterations")
        if let epochsValue, iterationsValue != nil {
            throw epochsValue.error("give either epochs or iterations, not both")
        }
        guard epochsValue != nil || iterationsValue != nil else {
            throw training.missing(["epochs", "iterations"], "missing required key 'epochs' (or 'iterations')")
        }
        let epochs = try epochsValue.map(positiveInt) ?? 0
        let iterations = try iterationsValue.map(positiveInt)
        var settings = TrainingSettings(
            learningRate: try number(try training.required("learning_rate"), above: 0),
            epochs: epochs, iterations: iterations,
            batchSize: try training.optional("batch_size").map(positiveInt),
            shuffle: try training.optional("shuffle")?.bool() ?? true,
            logEvery: try training.optional("log_every").map(positiveInt) ?? max(1, (iterations ?? epochs) / 10))
        // Checkpoints are cheap next to an evaluation of the training set: default to the log interval.
        settings.checkpointEvery = try training.optional("checkpoint_every").map(positiveInt) ?? settings.logEvery
        if let decay = training.optional("learning_rate_decay") {
            settings.learningRateDecay = try number(decay, above: 0)
            guard settings.learningRateDecay <= 1 else {
                throw decay.error("learning_rate_decay multiplies the rate after each epoch and must be at most 1, got \(settings.learningRateDecay)")
            }
        }
        settings.optimizer = try decodeOptimizer(training.optional("optimizer"), momentum: training.optional("momentum"))
        if let reg = training.optional("reg") { settings.reg = try number(reg, atLeast: 0) }
        if let sampling = training.optional("sampling") {
            settings.sampling = try sampling.choice("sampling", ["without_replacement": Sampling.withoutReplacement,
                                                                 "with_replacement": .withReplacement])
            if settings.sampling == .withReplacement, let shuffle = training.optional("shuffle") {
                throw shuffle.error("shuffle orders the epochs of sampling: without_replacement; "
                                    + "with_replacement draws every batch at random, so remove shuffle")
            }
        }
        if let dtype = training.optional("dtype") {
            // Float64 runs need the runner, the data and the store to carry Double (the core already
            // does, for gradient checks); until they do, the config says so where it asks.
            if try dtype.choice("dtype", ["float32": false, "float64": true]) {
                throw dtype.error("float64 training is not supported yet: netrun trains, stores and exports "
                                  + "float32 weights; remove dtype or write float32")
            }
        }
        if let metrics = training.optional("metrics") {
            for value in try metrics.sequence() {
                let metric = try decodeMetricName(value)
                if !settings.metrics.contains(metric) { settings.metrics.append(metric) }
            }
        }
        try training.finish()
        return settings
    }

    /// One of `training.metrics`: `accuracy`, `top<k>`, `macro_precision`, `macro_recall`,
    /// `macro_f1`, `mae`, `rmse` or `r2`.
    static func decodeMetricName(_ value: ConfigValue) throws -> MetricName {
        let text = try value.string()
        if let metric = MetricName(text) { return metric }
        var message = "unknown metric '\(text)'"
        if let guess = suggestion(for: text, among: MetricName.fixed.map(\.name) + topKGuess(text)) {
            message += " (did you mean '\(guess)'?)"
        }
        throw value.error(message + "; expected one of: \(MetricName.listed)")
    }

    /// Where `training.epochs` (or `iterations`) and `batch_size` are written; `decodeTraining` has checked them.
    static func decodeTrainingPlaces(_ value: ConfigValue) throws -> TrainingPlaces {
        let training = try value.mapping()
        let length = try training.optional("epochs") ?? training.required("iterations")
        return TrainingPlaces(length: Located(try length.int(), at: length),
                              batchSize: try training.optional("batch_size").map { Located(try $0.int(), at: $0) })
    }

    static func positiveInt(_ value: ConfigValue) throws -> Int {
        let n = try value.int()
        guard n >= 1 else { throw value.error("must be a positive integer, got \(n)") }
        return n
    }

    static func number(_ value: ConfigValue, above bound: Double) throws -> Double {
        let x = try value.double()
        guard x > bound, x.isFinite else { throw value.error("must be a finite number above \(format(bound)), got \(x)") }
        return x
    }

    static func number(_ value: ConfigValue, atLeast bound: Double) throws -> Double {
        let x = try value.double()
        guard x >= bound, x.isFinite else { throw value.error("must be a finite number ≥ \(format(bound)), got \(x)") }
        return x
    }

    private static func format(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(x)
    }
}
