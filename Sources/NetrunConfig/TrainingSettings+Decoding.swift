import NetrunCore

extension ConfigLoader {
    /// `training:` — optimizer, learning_rate, schedule (or learning_rate_decay), momentum, reg,
    /// epochs or iterations, batch_size, shuffle, sampling, log_every, checkpoint_every, metrics,
    /// dtype, early_stopping, keep_best, train_metrics. The metrics its watchers read go into `watched`, with
    /// their places, for the checks that need the data and the loss.
    static func decodeTraining(_ value: ConfigValue, watched: inout [Located<Monitor>]) throws -> TrainingSettings {
        let training = try value.mapping()
        let epochsValue = training.optional("epochs"), iterationsValue = training.optional("iterations")
        if let epochsValue, iterationsValue != nil {
            throw epochsValue.error("give either epochs or iterations, not both")
        }
        guard epochsValue != nil || iterationsValue != nil else {
            throw training.missing(["epochs", "iterations"], "missing required key 'epochs' (or 'iterations')")
        }
        // 0 records the initial model: its step-0 metrics and weights, for exports and checks.
        let epochs = try epochsValue.map(nonNegativeInt) ?? 0
        let iterations = try iterationsValue.map(nonNegativeInt)
        var settings = TrainingSettings(
            learningRate: try number(try training.required("learning_rate"), above: 0),
            epochs: epochs, iterations: iterations,
            batchSize: try training.optional("batch_size").map(positiveInt),
            shuffle: try training.optional("shuffle")?.bool() ?? true,
            logEvery: try training.optional("log_every").map(positiveInt) ?? max(1, (iterations ?? epochs) / 10))
        // Checkpoints are cheap next to an evaluation of the training set: default to the log interval.
        settings.checkpointEvery = try training.optional("checkpoint_every").map(positiveInt) ?? settings.logEvery
        if let schedule = training.optional("schedule") {
            settings.schedule = try decodeSchedule(schedule)
            if let plateau = settings.schedule.main as? PlateauSchedule {
                watched.append(Located(plateau.metric, at: schedule))
            }
        }
        // cs231n's spelling of `schedule: {exponential: {factor: γ}}`, kept as its shorthand.
        if let decay = training.optional("learning_rate_decay") {
            let factor = try number(decay, above: 0)
            guard factor <= 1 else {
                throw decay.error("learning_rate_decay multiplies the rate after each epoch and must be at most 1, got \(factor)")
            }
            guard settings.schedule.main == nil else {
                throw decay.error("learning_rate_decay is the exponential schedule; give it or a main schedule in "
                                  + "training.schedule, not both")
            }
            if factor != 1 { settings.schedule.main = ExponentialSchedule(factor: factor) }
        }
        if let stopping = training.optional("early_stopping") {
            let options = try stopping.mapping()
            let metricValue = options.optional("metric")
            let metric = try metricValue.map(decodeMonitor) ?? Monitor(split: "val", name: "loss")
            watched.append(Located(metric, at: metricValue ?? stopping))
            let patience = try positiveInt(try options.required("patience"))
            let minDelta = try options.optional("min_delta").map { try number($0, atLeast: 0) } ?? 0
            try options.finish()
            settings.earlyStopping = EarlyStopping(metric: metric, patience: patience, minDelta: minDelta)
        }
        if let keepBest = training.optional("keep_best") {
            settings.keepBest = try decodeMonitor(keepBest)
            watched.append(Located(settings.keepBest!, at: keepBest))
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
            settings.dtype = try dtype.choice("dtype", ["float32": DType.float32, "float64": .float64])
        }
        if let trainMetrics = training.optional("train_metrics") {
            settings.trainMetrics = try trainMetrics.choice("train_metrics", ["full": TrainMetrics.full, "running": .running])
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

    static func nonNegativeInt(_ value: ConfigValue) throws -> Int {
        let n = try value.int()
        guard n >= 0 else { throw value.error("must be 0 or a positive integer, got \(n)") }
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
