/// A feed-forward network: a list of layers and the loss at its end.
///
/// Backward is forward reversed; there is no graph engine. Parameters are exposed as one flat
/// list so the optimizer and the store never special-case a layer.
public final class Network<Scalar: NetScalar> {
    public let inputSize: Int
    public let layers: [any Layer<Scalar>]
    public let loss: any Loss<Scalar>
    /// Every layer's parameters in layer order, with the index of the layer that owns them.
    public let parameters: [(layer: Int, parameter: Parameter<Scalar>)]

    /// Assembles layers whose sizes chain; the builder has checked them with located errors first.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(inputSize: Int, layers: [any Layer<Scalar>], loss: any Loss<Scalar>) {
        var width = inputSize
        for (index, layer) in layers.enumerated() {
            precondition(layer.inputSize == width, "layer \(index) takes \(layer.inputSize) inputs, gets \(width)")
            width = layer.outputSize
        }
        self.inputSize = inputSize
        self.layers = layers
        self.loss = loss
        parameters = layers.enumerated().flatMap { index, layer in layer.parameters.map { (index, $0) } }
        // dL/dx of the first layer is never used; skip that product.
        (layers.first as? Dense<Scalar>)?.computesInputGradient = false
    }

    public var outputSize: Int { layers.last?.outputSize ?? inputSize }

    /// Training steps whose gradients this network has computed: the next one is `stepsTaken + 1`.
    /// Dropout masks are drawn from the step, so a caller continuing a checkpoint sets this to the
    /// checkpoint's step first.
    public var stepsTaken = 0

    /// Puts every layer in `mode` for the forward passes that follow.
    public func setMode(_ mode: ForwardMode) {
        for layer in layers { layer.setMode(mode) }
    }

    /// The same network over the same parameter values with its own buffers and gradients.
    public func replica() -> Network {
        Network(inputSize: inputSize, layers: layers.map { $0.replica() }, loss: makeLoss(loss.function, options: loss.options))
    }

    /// input (N, inputSize) → raw output of the last layer (N, outputSize)
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(input.cols == inputSize, "network takes \(inputSize) inputs, got \(input.cols)")
        var activation = input
        for layer in layers { activation = layer.forward(activation) }
        return activation
    }

    /// The prediction users read: the output, or class probabilities when the loss takes logits.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func predict(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        loss.prediction(from: forward(input))
    }

    /// Forward through the layers and the loss: the mean data loss, without regularisation.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func dataLoss(_ input: Matrix<Scalar>, _ target: Matrix<Scalar>) -> Double {
        loss.forward(forward(input), target)
    }

    /// Back-propagates the last `dataLoss`, adding into every parameter's gradient.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward() {
        var gradient = loss.backward()
        for layer in layers.reversed() { gradient = layer.backward(gradient) }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func zeroGradients() {
        for (_, parameter) in parameters { parameter.gradient.fill(0) }
    }

    /// 0.5 · reg · ΣW² over regularised parameters (weights, not biases).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func regularizationLoss(strength reg: Double) -> Double {
        guard reg != 0 else { return 0 }
        var sum = 0.0
        for (_, parameter) in parameters where parameter.isRegularized {
            sum += Self.sumOfSquares(parameter.value.storage, parameter.value.count)
        }
        return 0.5 * reg * sum
    }

    /// Σ w², in Double. Every training step with a penalty pays for this, so the sum runs in eight
    /// interleaved chains (one chain waits on each add: 30 µs a step for a 3072×10 classifier).
    /// Each square is exact in Double; only the rounding of the sum depends on the order, and the
    /// order is fixed by the count alone.
    @inline(__always)
    static func sumOfSquares(_ w: UnsafeMutablePointer<Scalar>, _ count: Int) -> Double {
        var s = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        var i = 0
        while i + 8 <= count {
            let a = Double(w[i]), b = Double(w[i + 1]), c = Double(w[i + 2]), d = Double(w[i + 3])
            let e = Double(w[i + 4]), f = Double(w[i + 5]), g = Double(w[i + 6]), h = Double(w[i + 7])
            s.0 += a * a; s.1 += b * b; s.2 += c * c; s.3 += d * d
            s.4 += e * e; s.5 += f * f; s.6 += g * g; s.7 += h * h
            i += 8
        }
        var tail = 0.0
        while i < count { tail += Double(w[i]) * Double(w[i]); i += 1 }
        return ((s.0 + s.1) + (s.2 + s.3)) + ((s.4 + s.5) + (s.6 + s.7)) + tail
    }

    /// dW += reg · W, the gradient of `regularizationLoss`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func addRegularizationGradient(strength reg: Double) {
        guard reg != 0 else { return }
        let r = Scalar(reg)
        for (_, parameter) in parameters where parameter.isRegularized {
            let w = parameter.value.storage, dw = parameter.gradient.storage
            for i in 0..<parameter.value.count { dw[i] += r * w[i] }
        }
    }

    /// One full evaluation of the objective and its gradient: zero, forward, backward, regularise.
    /// Returns the objective (data loss + regularisation) and the data loss.
    @discardableResult
    public func computeGradients(_ input: Matrix<Scalar>, _ target: Matrix<Scalar>, reg: Double)
        -> (objective: Double, dataLoss: Double)
    {
        zeroGradients()
        let data = dataLoss(input, target)
        backward()
        addRegularizationGradient(strength: reg)
        return (data + regularizationLoss(strength: reg), data)
    }
}
