extension ConfigLoader {
    /// The keys that name a data source; a source mapping has exactly one of them.
    static let sourceKeys = ["inputs", "csv", "idx", "cifar10", "synthetic"]

    /// `data:` — one source (inline `inputs` + `targets`, `csv`, `idx`, `cifar10` or `synthetic`),
    /// optional `limit` or `rows`, `val` and `test` sources, `split` and `preprocess`. Files are resolved
    /// against `folder`, the config file's folder.
    static func decodeData(_ value: ConfigValue, folder: String) throws -> DataConfig {
        let data = try value.mapping()
        let source = try decodeSource(data, at: value, folder: folder)
        let validation = try data.optional("val").map { try decodeHeldOut($0, folder: folder) }
        let test = try data.optional("test").map { try decodeHeldOut($0, folder: folder) }
        var split = SplitConfig()
        if let splitValue = data.optional("split") {
            let mapping = try splitValue.mapping()
            func size(_ key: String, conflictsWith explicit: DataSource?) throws -> Located<SplitSize>? {
                guard let size = mapping.optional(key) else { return nil }
                if explicit != nil {
                    throw size.error("give \(key) samples either as data.\(key) or as split.\(key), not both")
                }
                return Located(try decodeSplitSize(size), at: size)
            }
            split.validation = try size("val", conflictsWith: validation)
            split.test = try size("test", conflictsWith: test)
            split.train = try size("train", conflictsWith: nil)
            try mapping.finish()
        }
        let preprocess = try data.optional("preprocess").map(decodePreprocess) ?? PreprocessConfig()
        try data.finish()
        return DataConfig(source: source, validation: validation, test: test, split: split, preprocess: preprocess)
    }

    private static func decodeHeldOut(_ value: ConfigValue, folder: String) throws -> DataSource {
        let mapping = try value.mapping()
        let source = try decodeSource(mapping, at: value, folder: folder)
        try mapping.finish()
        return source
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

    private static func decodePreprocess(_ value: ConfigValue) throws -> PreprocessConfig {
        let mapping = try value.mapping()
        let config = PreprocessConfig(
            scale: try mapping.optional("scale").map(decodeScale),
            subtractMean: try mapping.optional("subtract_mean")?.bool() ?? false,
            standardize: try mapping.optional("standardize")?.bool() ?? false)
        try mapping.finish()
        return config
    }

    /// A scale inputs are multiplied by in Float: it must not round to 0 or infinity there.
    private static func decodeScale(_ value: ConfigValue) throws -> Double {
        let scale = try number(value, above: 0)
        guard Float(scale).isFinite, Float(scale) >= .leastNormalMagnitude else {
            throw value.error("a scale is applied in Float and must be between 1.2e-38 and 3.4e38, got \(scale)")
        }
        return scale
    }

    /// The sample source described by the keys of `mapping`, plus its `limit` or `rows`.
    private static func decodeSource(_ mapping: ConfigMapping, at value: ConfigValue, folder: String) throws -> DataSource {
        let present = sourceKeys.filter(mapping.contains)
        guard let key = present.first else {
            let targetsOnly = mapping.contains("targets") ? " ('targets' needs 'inputs')" : ""
            throw value.error("no data source\(targetsOnly): give one of 'inputs' + 'targets' (samples written out), "
                              + "'csv', 'idx', 'cifar10' or 'synthetic'")
        }
        if present.count > 1 {
            throw value.error("more than one data source (\(present.joined(separator: ", "))); give one")
        }
        let kind: DataSource.Kind
        switch key {
        case "inputs": kind = .inline(try decodeInline(mapping, at: value))
        case "csv": kind = .csv(try decodeCSV(try mapping.required("csv"), folder: folder))
        case "idx": kind = .idx(try decodeIDX(try mapping.required("idx"), folder: folder))
        case "cifar10": kind = .cifar10(try decodeCIFAR10(try mapping.required("cifar10"), folder: folder))
        default: kind = .synthetic(try decodeSynthetic(try mapping.required("synthetic")))
        }
        let limit = try mapping.optional("limit").map { Located(try positiveInt($0), at: $0) }
        let rows = try mapping.optional("rows").map(decodeRows)
        if let rows, limit != nil {
            throw rows.error("give either rows or limit, not both (limit: N is rows: [0, N])")
        }
        return DataSource(kind: kind, limit: limit, rows: rows, location: value.location, path: value.path)
    }

    /// `rows: [START, END]`: samples START..<END of the source, counted from 0 and half-open as
    /// numpy's `X[START:END]`; whether END fits the source is known once it is read.
    private static func decodeRows(_ value: ConfigValue) throws -> Located<Range<Int>> {
        let items = try value.sequence()
        guard items.count == 2 else {
            throw value.error("rows is [START, END] (from 0, END not included), e.g. [49000, 50000]; got \(items.count) numbers")
        }
        let start = try items[0].int(), end = try items[1].int()
        guard start >= 0 else { throw items[0].error("rows count from 0, got \(start)") }
        guard end > start else {
            throw value.error(end == start
                ? "rows [\(start), \(end)] is empty: END is not included, so [\(start), \(start + 1)] is one sample"
                : "rows [\(start), \(end)] is reversed: write [START, END] with START < END")
        }
        return Located(start..<end, at: value)
    }

    private static func decodeInline(_ mapping: ConfigMapping, at value: ConfigValue) throws -> InlineData {
        let inputsValue = try mapping.required("inputs")
        let inputs = try inputsValue.sequence().map(decodeRow)
        guard !inputs.isEmpty else { throw inputsValue.error("no samples") }
        let targetsValue = try mapping.required("targets")
        let targetItems = try targetsValue.sequence()
        let targets: InlineData.Targets
        if targetItems.allSatisfy(isIntegerScalar) {
            targets = .indices(try targetItems.map { Located(try $0.int(), at: $0) })
        } else {
            // Lone numbers and rows mixed: the first target that breaks the pattern is the one to name.
            let isScalar = { (item: ConfigValue) -> Bool in if case .scalar = item.node.kind { true } else { false } }
            if let first = targetItems.first, let odd = targetItems.first(where: { isScalar($0) != isScalar(first) }) {
                throw odd.error(isScalar(first) ? "a row, but the targets before it are single numbers; write every target the same way"
                                : "a single number, but the targets before it are rows; write every target the same way")
            }
            targets = .rows(try targetItems.map(decodeRow))
        }
        return InlineData(inputs: inputs, targets: targets, targetsLocation: targetsValue.location,
                          location: value.location, path: value.path)
    }

    /// `csv: PATH` or `csv: {path, label, header}`; the label defaults to the last column.
    private static func decodeCSV(_ value: ConfigValue, folder: String) throws -> CSVSource {
        if case .scalar = value.node.kind {
            return CSVSource(file: try decodeFile(value, folder: folder), label: .index(-1), header: nil)
        }
        let mapping = try value.mapping()
        var label = CSVSource.Label.index(-1)
        var labelType: Located<LabelType>?
        if let labelValue = mapping.optional("label") {
            if case .mapping = labelValue.node.kind {
                let labelMapping = try labelValue.mapping()
                label = try labelMapping.optional("column").map(decodeLabelColumn) ?? .index(-1)
                labelType = try labelMapping.optional("type").map { type in
                    Located(try type.choice("label type", ["value": LabelType.value, "class": .class]), at: type)
                }
                try labelMapping.finish()
            } else {
                label = try decodeLabelColumn(labelValue)
            }
        }
        let source = CSVSource(file: try decodeFile(try mapping.required("path"), folder: folder), label: label,
                               header: try mapping.optional("header")?.bool(), labelType: labelType)
        try mapping.finish()
        return source
    }

    /// A column index (negative from the end) or a header name.
    private static func decodeLabelColumn(_ value: ConfigValue) throws -> CSVSource.Label {
        if case .scalar(let scalar) = value.node.kind, case .int(let index) = scalar.value { return .index(index) }
        return .name(try value.string())
    }

    private static func decodeIDX(_ value: ConfigValue, folder: String) throws -> IDXSource {
        let mapping = try value.mapping()
        let source = IDXSource(images: try decodeFile(try mapping.required("images"), folder: folder),
                               labels: try decodeFile(try mapping.required("labels"), folder: folder))
        try mapping.finish()
        return source
    }

    private static func decodeCIFAR10(_ value: ConfigValue, folder: String) throws -> CIFAR10Source {
        let mapping = try value.mapping()
        let part = try mapping.optional("part")?.choice("part", ["train": CIFAR10Source.Part.train, "test": .test]) ?? .train
        let source = CIFAR10Source(folder: try decodeFile(try mapping.required("path"), folder: folder), part: part)
        try mapping.finish()
        return source
    }

    private static func decodeSynthetic(_ value: ConfigValue) throws -> SyntheticSource {
        let mapping = try value.mapping()
        let kind = try mapping.required("kind").choice("synthetic set", ["xor": 0, "spiral": 1, "blobs": 2])
        func count(_ key: String, _ fallback: Int) throws -> Int {
            try mapping.optional(key).map(positiveInt) ?? fallback
        }
        let source: SyntheticSource
        switch kind {
        case 0:
            source = .xor(count: try count("count", 200))
        case 1:
            source = .spiral(classes: try count("classes", 3), perClass: try count("per_class", 100),
                             noise: try mapping.optional("noise").map { try number($0, atLeast: 0) } ?? 0.2)
        default:
            source = .blobs(classes: try count("classes", 3), perClass: try count("per_class", 100),
                            dimensions: try count("dimensions", 2),
                            spread: try mapping.optional("spread").map { try number($0, above: 0) } ?? 1)
        }
        try mapping.finish()
        return source
    }

    static func decodeFile(_ value: ConfigValue, folder: String) throws -> DataFile {
        let written = try value.string()
        guard !written.isEmpty else { throw value.error("expected a file path, got an empty string") }
        return DataFile(written: written, resolved: resolvePath(written, against: folder),
                        location: value.location, path: value.path)
    }

    /// `written` if absolute, else joined to `folder` with `.` and `..` folded, so messages show
    /// `data/digits.csv` rather than `configs/../data/digits.csv`.
    static func resolvePath(_ written: String, against folder: String) -> String {
        let joined = written.hasPrefix("/") || folder.isEmpty || folder == "." ? written : folder + "/" + written
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        let path = parts.joined(separator: "/")
        return joined.hasPrefix("/") ? "/" + path : (path.isEmpty ? "." : path)
    }

    /// A row of numbers; a lone number is a row of one.
    private static func decodeRow(_ value: ConfigValue) throws -> Located<[Double]> {
        if case .scalar = value.node.kind { return Located([try sampleNumber(value)], at: value) }
        return Located(try value.sequence().map(sampleNumber), at: value)
    }

    /// A number a sample holds: finite in Float, the precision samples are trained in, as a CSV's must be.
    private static func sampleNumber(_ value: ConfigValue) throws -> Double {
        let number = try value.double()
        guard number.isFinite else { throw value.error("\(number) is not a finite number") }
        guard Float(number).isFinite else {
            throw value.error("\(number) is out of Float's range (±\(Float.greatestFiniteMagnitude)); samples are 32-bit floats")
        }
        return number
    }

    private static func isIntegerScalar(_ value: ConfigValue) -> Bool {
        if case .scalar(let scalar) = value.node.kind, case .int = scalar.value { return true }
        return false
    }
}
