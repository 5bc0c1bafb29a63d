import NetrunCore

/// Every optimizer name `training.optimizer` accepts, each registered once with how its options
/// decode: the decoder's name list and suggestions come from here, and an unknown name is a
/// located error, never a fallback to another optimizer.
///
/// A new optimizer is its file in NetrunCore/Optimizers (an `Optimizer` and its
/// `OptimizerSettings`) plus one line here, with its decoder beside the others in
/// OptimizerSettings+Decoding.swift.
enum OptimizerRegistry {
    /// Decodes `name`'s options (nil for a bare name); `momentum` is `training.momentum` when
    /// written, which only SGD takes.
    typealias Decoder = @Sendable (_ name: Located<String>, _ options: ConfigValue?, _ momentum: ConfigValue?) throws
        -> any OptimizerSettings

    static let optimizers: [(name: String, decode: Decoder)] = [
        ("sgd", ConfigLoader.decodeSGD),
        ("adam", { try ConfigLoader.decodeAdam($0, $1, $2, decoupled: false) }),
        ("adamw", { try ConfigLoader.decodeAdam($0, $1, $2, decoupled: true) }),
    ]

    static var names: [String] { optimizers.map(\.name) }
}
