import NetrunCore

/// A main schedule `training.schedule` can name, read from its options.
protocol DecodableSchedule: LearningRateSchedule {
    /// Reads the schedule from its options (nil when written bare, `schedule: cosine`).
    static func decode(_ options: ConfigMapping?, at value: ConfigValue) throws -> Self
}

extension ConfigLoader {
    /// Every main schedule, once: its name comes from the type.
    static let schedules: [any DecodableSchedule.Type] = [
        ExponentialSchedule.self, StepSchedule.self, CosineSchedule.self, PlateauSchedule.self,
    ]

    /// `schedule: NAME` or `schedule: {NAME: {options}, warmup: {steps: k}}`: at most one main
    /// schedule, and warmup with or without one.
    static func decodeSchedule(_ value: ConfigValue) throws -> ScheduleSettings {
        let names = schedules.map { $0.name }
        let keys = names + ["warmup"]
        var settings = ScheduleSettings()
        if case .scalar = value.node.kind {
            let name = try value.string()
            guard let type = schedules.first(where: { $0.name == name }) else {
                if name == "warmup" { throw value.error("warmup needs its length: write 'schedule: {warmup: {steps: 100}}'") }
                let hint = suggestion(for: name, among: keys).map { " (did you mean '\($0)'?)" } ?? ""
                throw value.error("unknown schedule '\(name)'\(hint); expected one of: \(keys.joined(separator: ", "))")
            }
            settings.main = try type.decode(nil, at: value)
            return settings
        }
        let mapping = try value.mapping()
        // Asked for all at once, so an unknown key is reported with the names it may misspell.
        for key in keys { _ = mapping.optional(key) }
        try mapping.finish()
        let written = mapping.keys.filter(names.contains)
        if written.count > 1 {
            throw try mapping.required(written[1]).error(
                "give one main schedule, not \(written.joined(separator: " and ")) (warmup combines with any)")
        }
        for type in schedules {
            guard mapping.contains(type.name) else { continue }
            let options = try mapping.required(type.name)
            settings.main = try type.decode(options.isNull ? nil : try options.mapping(), at: options)
        }
        if let warmup = mapping.optional("warmup") {
            let options = try warmup.mapping()
            settings.warmupSteps = try positiveInt(try options.required("steps"))
            try options.finish()
        }
        return settings
    }

    /// A factor a schedule multiplies the rate by: in (0, 1], or (0, 1) when `below1`.
    static func factor(_ value: ConfigValue, below1: Bool = false) throws -> Double {
        let x = try number(value, above: 0)
        guard below1 ? x < 1 : x <= 1 else {
            throw value.error("factor multiplies the rate and must be \(below1 ? "below" : "at most") 1, got \(x)")
        }
        return x
    }

    /// `metric: SPLIT_NAME` for a watcher: a split measured at every log point (train or val).
    static func decodeMonitor(_ value: ConfigValue) throws -> Monitor {
        let metric = try decodeSweepMetric(value)
        guard metric.split != "test" else {
            throw value.error("'\(metric.label)' is measured only at the end of a run; watch a train_ or val_ metric")
        }
        return Monitor(split: metric.split, name: metric.name)
    }
}

extension ExponentialSchedule: DecodableSchedule {
    static func decode(_ options: ConfigMapping?, at value: ConfigValue) throws -> Self {
        guard let options else { throw value.error("exponential needs its factor: write '{exponential: {factor: 0.95}}'") }
        let schedule = Self(factor: try ConfigLoader.factor(try options.required("factor")))
        try options.finish()
        return schedule
    }
}

extension StepSchedule: DecodableSchedule {
    static func decode(_ options: ConfigMapping?, at value: ConfigValue) throws -> Self {
        guard let options else { throw value.error("step needs its interval: write '{step: {every: 10, factor: 0.1}}'") }
        let every = try ConfigLoader.positiveInt(try options.required("every"))
        let factor = try options.optional("factor").map { try ConfigLoader.factor($0) } ?? 0.1
        try options.finish()
        return Self(every: every, factor: factor)
    }
}

extension CosineSchedule: DecodableSchedule {
    static func decode(_ options: ConfigMapping?, at value: ConfigValue) throws -> Self {
        let minRate = try options?.optional("min_lr").map { try ConfigLoader.number($0, atLeast: 0) } ?? 0
        try options?.finish()
        return Self(minRate: minRate)
    }
}

extension PlateauSchedule: DecodableSchedule {
    static func decode(_ options: ConfigMapping?, at value: ConfigValue) throws -> Self {
        let metric = try options?.optional("metric").map(ConfigLoader.decodeMonitor) ?? Monitor(split: "val", name: "loss")
        var schedule = Self(metric: metric)
        if let patience = options?.optional("patience") {
            schedule.patience = try patience.int()
            guard schedule.patience >= 0 else { throw patience.error("patience must be 0 or more, got \(schedule.patience)") }
        }
        if let factor = options?.optional("factor") { schedule.factor = try ConfigLoader.factor(factor, below1: true) }
        try options?.finish()
        return schedule
    }
}
