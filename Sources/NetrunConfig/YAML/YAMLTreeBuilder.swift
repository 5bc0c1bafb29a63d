import LibYAML

/// Turns a libyaml document into a `YAMLNode` tree, expanding aliases within a budget.
///
/// libyaml's document API keeps nodes in a 1-based array and an alias is just a second reference
/// to an index, so the "tree" is a graph: ten references to a node that holds ten references …
/// (a billion laughs) or an anchor whose alias sits inside itself (a cycle). Each index is built
/// once and memoised with the size and height its expansion would have, so a bomb is measured,
/// not expanded, and a node met again while still being built is a cycle.
struct YAMLTreeBuilder {
    static let maxNodes = 1_000_000
    static let maxDepth = 200

    /// A built node with the node count and depth of its full expansion.
    private struct Built {
        var node: YAMLNode
        var size: Int
        var height: Int
    }

    private enum State {
        case unvisited
        case inProgress
        case built(Built)
    }

    private let document: UnsafeMutablePointer<yaml_document_t>
    private let file: String
    /// Indexed by libyaml's node index; slot 0 is unused.
    private var states: [State]

    init(document: UnsafeMutablePointer<yaml_document_t>, file: String) {
        self.document = document
        self.file = file
        let nodes = document.pointee.nodes
        let count = nodes.start.map { nodes.top - $0 } ?? 0
        states = Array(repeating: .unvisited, count: count + 1)
    }

    /// Builds the tree under the root, which libyaml always stores first.
    mutating func buildRoot() throws -> YAMLNode {
        // Without aliases the tree has exactly libyaml's nodes, so a large plain document is told
        // apart from an alias bomb (whose expansion `checkSize` stops) before anything is built.
        let count = states.count - 1
        if count > Self.maxNodes {
            throw ConfigError("the document has \(count) YAML nodes, over the limit of \(Self.maxNodes); "
                              + "put large data in a CSV file (data: {csv: FILE})", at: SourceLocation(file: file, line: 1, column: 1))
        }
        return try build(1, depth: 1).node
    }

    private mutating func build(_ index: Int32, depth: Int) throws -> Built {
        guard index >= 1, Int(index) < states.count, let raw = yaml_document_get_node(document, index) else {
            throw ConfigError("malformed YAML document (no node \(index))", at: SourceLocation(file: file, line: 1, column: 1))
        }
        let location = SourceLocation(mark: raw.pointee.start_mark, file: file)
        switch states[Int(index)] {
        case .built(let built):
            if depth + built.height - 1 > Self.maxDepth { throw Self.tooDeep(at: location) }
            return built
        case .inProgress:
            throw ConfigError("nesting too deep: an alias refers to a node that contains it", at: location)
        case .unvisited:
            if depth > Self.maxDepth { throw Self.tooDeep(at: location) }
        }

        states[Int(index)] = .inProgress
        let built: Built
        switch raw.pointee.type {
        case YAML_SCALAR_NODE:
            built = Built(node: YAMLNode(.scalar(Self.scalar(raw.pointee)), at: location), size: 1, height: 1)
        case YAML_SEQUENCE_NODE:
            built = try buildSequence(raw.pointee, at: location, depth: depth)
        case YAML_MAPPING_NODE:
            built = try buildMapping(raw.pointee, at: location, depth: depth)
        default:
            throw ConfigError("malformed YAML document (empty node)", at: location)
        }
        states[Int(index)] = .built(built)
        return built
    }

    private mutating func buildSequence(_ raw: yaml_node_t, at location: SourceLocation, depth: Int) throws -> Built {
        let stack = raw.data.sequence.items
        let indexes = UnsafeBufferPointer(start: stack.start, count: stack.start.map { stack.top - $0 } ?? 0)
        var items: [YAMLNode] = []
        items.reserveCapacity(indexes.count)
        var size = 1
        var height = 1
        for index in indexes {
            let item = try build(index, depth: depth + 1)
            size += item.size
            height = max(height, item.height + 1)
            try checkSize(size, at: location)
            items.append(item.node)
        }
        return Built(node: YAMLNode(.sequence(items), at: location), size: size, height: height)
    }

    private mutating func buildMapping(_ raw: yaml_node_t, at location: SourceLocation, depth: Int) throws -> Built {
        let stack = raw.data.mapping.pairs
        let pairs = UnsafeBufferPointer(start: stack.start, count: stack.start.map { stack.top - $0 } ?? 0)
        var entries: [YAMLEntry] = []
        entries.reserveCapacity(pairs.count)
        var firstLines: [String: Int] = [:]
        var size = 1
        var height = 1
        for pair in pairs {
            let key = try build(pair.key, depth: depth + 1)
            guard case .scalar(let scalar) = key.node.kind else {
                throw ConfigError("a mapping key must be a scalar", at: key.node.location)
            }
            if let firstLine = firstLines[scalar.text] {
                throw ConfigError("duplicate key '\(scalar.text)' (first at line \(firstLine))", at: key.node.location)
            }
            firstLines[scalar.text] = key.node.location.line
            let value = try build(pair.value, depth: depth + 1)
            size += key.size + value.size
            height = max(height, value.height + 1)
            try checkSize(size, at: location)
            entries.append(YAMLEntry(key: scalar.text, keyLocation: key.node.location, value: value.node))
        }
        return Built(node: YAMLNode(.mapping(entries), at: location), size: size, height: height)
    }

    /// Sizes only grow toward the root, so checking every partial sum stops a bomb at its first level
    /// over the limit, long before the sums could overflow.
    private func checkSize(_ size: Int, at location: SourceLocation) throws {
        if size > Self.maxNodes {
            throw ConfigError("too many nodes (over \(Self.maxNodes)) once aliases are expanded: each alias "
                              + "copies its anchor's node, and these copies multiply", at: location)
        }
    }

    static func tooDeep(at location: SourceLocation) -> ConfigError {
        ConfigError("nesting too deep (over \(maxDepth) levels)", at: location)
    }

    private static func scalar(_ raw: yaml_node_t) -> YAMLScalar {
        let data = raw.data.scalar
        let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
        // Quoted, literal and folded scalars are strings whatever they look like.
        let value = data.style == YAML_PLAIN_SCALAR_STYLE ? YAMLScalar.Value(plain: text) : .string(text)
        return YAMLScalar(value, text: text)
    }
}

extension SourceLocation {
    /// A libyaml mark, whose line and column count from 0.
    init(mark: yaml_mark_t, file: String) {
        self.init(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}
