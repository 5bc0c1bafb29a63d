import NetrunCore

/// Every layer and activation name a config can write, each registered once with how its options
/// decode: the decoder's name lists and suggestions come from here, and an unknown name is a
/// located error, never a fallback to another layer.
///
/// A new activation is its file in NetrunCore/Layers (an `ActivationFunction` and its `Activation`
/// constant) plus one line in `activations`. A new kind of layer is its file, one line in
/// `layers`, and its case in `LayerConfig.Kind`, whose switches (builder, memory estimate) the
/// compiler then points at.
enum LayerRegistry {
    typealias ActivationDecoder = @Sendable (_ name: Located<String>, _ options: ConfigValue?) throws -> Activation
    typealias LayerDecoder = @Sendable (_ name: Located<String>, _ options: ConfigValue?) throws -> LayerConfig.Kind

    /// The activation functions, as `activation:` of a dense layer or as layers of their own.
    static let activations: [(name: String, decode: ActivationDecoder)] = [
        ("sigmoid", plain(.sigmoid)),
        ("tanh", plain(.tanh)),
        ("relu", plain(.relu)),
        ("leaky_relu", ConfigLoader.decodeLeakyReLU),
        ("softmax", plain(.softmax)),
        ("identity", plain(.identity)),
    ]

    /// The layers that are not activations.
    static let layers: [(name: String, decode: LayerDecoder)] = [
        ("dense", ConfigLoader.decodeDense),
        ("dropout", ConfigLoader.decodeDropout),
    ]

    static var activationNames: [String] { activations.map(\.name) }

    /// Every name `model.layers` accepts: the layers, then the activations.
    static var layerNames: [String] { layers.map(\.name) + activationNames }

    /// An activation that takes no options.
    private static func plain(_ activation: Activation) -> ActivationDecoder {
        { name, options in
            if let options { throw options.error("\(name.value) takes no options") }
            return activation
        }
    }
}
