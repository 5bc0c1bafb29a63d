extension ConfigLoader {
    /// `data:` — a source (for now `inputs` + `targets`), and either `test:` (another source) or
    /// `split: {test: FRACTION-or-COUNT}`.
    static func decodeData(_ value: ConfigValue) throws -> DataConfig {
        let data = try value.mapping()
        let train = try decodeSource(data, at: value)
        let test = try data.optional("test").map { testValue in
            let mapping = try testValue.mapping()
            let source = try decodeSource(mapping, at: testValue)
            try mapping.finish()
            return source
        }
        var testSplit: Located<SplitSize>?
        if let split = data.optional("split") {
            let mapping = try split.mapping()
            if let size = mapping.optional("test") {
                if test != nil { throw size.error("give held-out samples either as data.test or as split.test, not both") }
                testSplit = Located(try decodeSplitSize(size), at: size)
            }
            try mapping.finish()
        }
        try data.finish()
        return DataConfig(train: train, test: test, testSplit: testSplit)
    }

    /// A fraction in (0, 1) or a whole number of samples.
    private static func decodeSplitSize(_ value: ConfigValue) throws -> SplitSize {
        if case .scalar(let scalar) = value.node.kind, case .int(let count) = scalar.value {
            guard count >= 1 else { throw value.error("a split count must be at least 1, got \(count)") }
            return .count(count)
        }
        let fraction = try value.double()
        guard fraction > 0, fraction < 1 else {
            throw value.error("a split is a fraction between 0 and 1 or a whole number of samples, got \(fraction)")
        }
        return .fraction(fraction)
    }

    /// The sample source described by the keys of `mapping`.
    private static func decodeSource(_ mapping: ConfigMapping, at value: ConfigValue) throws -> DataSource {
        guard mapping.contains("inputs") || mapping.contains("targets") else {
            throw value.error("no data source: give 'inputs' and 'targets' (one row per sample)")
        }
        let inputsValue = try mapping.required("inputs")
        let inputs = try inputsValue.sequence().map(decodeRow)
        guard !inputs.isEmpty else { throw inputsValue.error("no samples") }
        let targetsValue = try mapping.required("targets")
        let targetItems = try targetsValue.sequence()
        let targets: InlineData.Targets
        if targetItems.allSatisfy(isIntegerScalar) {
            targets = .indices(try targetItems.map { Located(try $0.int(), at: $0) })
        } else {
            targets = .rows(try targetItems.map(decodeRow))
        }
        return .inline(InlineData(inputs: inputs, targets: targets, targetsLocation: targetsValue.location,
                                  location: value.location, path: value.path))
    }

    /// A row of numbers; a lone number is a row of one.
    private static func decodeRow(_ value: ConfigValue) throws -> Located<[Double]> {
        if case .scalar = value.node.kind { return Located([try value.double()], at: value) }
        return Located(try value.sequence().map { try $0.double() }, at: value)
    }

    private static func isIntegerScalar(_ value: ConfigValue) -> Bool {
        if case .scalar(let scalar) = value.node.kind, case .int = scalar.value { return true }
        return false
    }
}
