/// A value put at a key path of a config before it is decoded: a sweep trial's hyperparameter, or
/// a command-line override. Working on the node tree means every key the decoder knows can be
/// overridden, and the decoder checks the new value as if it had been written there.
public struct ConfigOverride: Sendable {
    /// One step of a key path: a mapping key or a sequence index.
    public enum Component: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    /// As written: `training.learning_rate`, `model.layers[0].dense.units`.
    public var path: String
    public var components: [Component]
    public var value: YAMLNode
    /// Where the override is written, for errors about its path.
    public var location: SourceLocation?

    public init(path: String, value: YAMLNode, location: SourceLocation?) throws {
        self.path = path
        self.value = value
        self.location = location
        components = try Self.parse(path, location: location)
    }

    /// `a.b[2].c` → key a, key b, index 2, key c.
    static func parse(_ path: String, location: SourceLocation?) throws -> [Component] {
        func invalid() -> ConfigError {
            ConfigError("'\(path)' is not a key path like training.learning_rate or model.layers[0].dense.units",
                        at: location)
        }
        var components: [Component] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let key = rest.prefix { $0 != "[" }
            guard !key.isEmpty else { throw invalid() }
            components.append(.key(String(key)))
            rest = rest.dropFirst(key.count)
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                      let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0 else { throw invalid() }
                components.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        return components
    }

    /// `root` with this override's value at its path; missing mapping keys are added.
    public func apply(to root: YAMLNode) throws -> YAMLNode {
        try put(components[...], into: root, reached: "")
    }

    /// An item of `model.layers` written as one layer kind: `{dense: …}`.
    private static func isLayerItem(_ entries: [YAMLEntry], reached: String) -> Bool {
        reached.hasPrefix("model.layers[") && reached.hasSuffix("]") && entries.count == 1
            && ["dense", "leaky_relu"].contains(entries[0].key)
    }

    private func put(_ rest: ArraySlice<Component>, into node: YAMLNode, reached: String) throws -> YAMLNode {
        guard let first = rest.first else { return value }
        var node = node
        switch (first, node.kind) {
        case (.key(let key), .mapping(let entries)) where Self.isLayerItem(entries, reached: reached) && key != entries[0].key:
            // `model.layers[0].units` means the layer's own settings, `model.layers[0].dense.units`;
            // a layer written as `dense: 64` becomes `dense: {units: 64}` to take a second key.
            var layer = entries[0]
            if case .scalar(let scalar) = layer.value.kind, scalar.value != .null {
                layer.value.kind = .mapping([YAMLEntry(key: "units", keyLocation: layer.keyLocation, value: layer.value)])
            }
            layer.value = try put(rest, into: layer.value, reached: "\(reached).\(layer.key)")
            node.kind = .mapping([layer])
        case (.key(let key), .mapping(var entries)):
            let path = reached.isEmpty ? key : "\(reached).\(key)"
            if let i = entries.firstIndex(where: { $0.key == key }) {
                entries[i].value = try put(rest.dropFirst(), into: entries[i].value, reached: path)
            } else {
                let empty = YAMLNode(.mapping([]), at: location ?? node.location)
                var entry = YAMLEntry(key: key, keyLocation: location ?? node.location,
                                      value: try put(rest.dropFirst(), into: empty, reached: path))
                entry.isOverride = true
                entries.append(entry)
            }
            node.kind = .mapping(entries)
        case (.key(let key), .scalar(let scalar)) where reached == "training.optimizer" && scalar.value == .string(key):
            // `optimizer: adam` with `training.optimizer.adam.eps=…`: the bare name becomes `adam: {}`.
            node.kind = .mapping([YAMLEntry(key: key, keyLocation: node.location,
                                            value: YAMLNode(.mapping([]), at: node.location))])
            return try put(rest, into: node, reached: reached)
        case (.key, .scalar(let scalar)) where scalar.value == .null:
            // `training:` with nothing under it: start the mapping.
            node.kind = .mapping([])
            return try put(rest, into: node, reached: reached)
        case (.index(let index), .sequence(var items)):
            guard index < items.count else {
                throw ConfigError("\(path): '\(reached)' has \(items.count) items, there is no [\(index)]", at: location)
            }
            items[index] = try put(rest.dropFirst(), into: items[index], reached: "\(reached)[\(index)]")
            node.kind = .sequence(items)
        case (.key(let key), _):
            throw ConfigError("\(path): '\(reached.isEmpty ? "the document" : reached)' is not a mapping, so it has no key '\(key)'",
                              at: location)
        case (.index(let index), _):
            throw ConfigError("\(path): '\(reached)' is not a list, so it has no [\(index)]", at: location)
        }
        return node
    }
}
