/// A network and replicas of it that split each batch by rows, one shard per core: the
/// gradient of a training batch, or the loss and accuracy of a data set chunk by chunk.
///
/// A dense layer's products for a batch of 128 are too small to split across threads one by one
/// (waking a thread costs as much as the product), but a whole gather-forward-backward over half
/// the batch is not. The number of shards depends only on the model and batch size, never on the
/// machine, so a run gives the same numbers on 1 core or 16; with one thread the shards run in turn.
final class ShardedNetwork<Scalar: NetScalar>: ParallelTask {
    let network: Network<Scalar>
    /// `network` first, then its replicas, which share its parameter values.
    private let shards: [Network<Scalar>]
    private let parameters: [[Parameter<Scalar>]]
    private let inputs: [Matrix<Scalar>]
    private let targets: [Matrix<Scalar>]
    /// Whether batch inputs stay in the data set as row selections: the first layer's products
    /// read them in place (Float only), which saves copying every batch out of memory first.
    private let selectsRows: Bool
    private var losses: [Double]
    /// What each shard's loss divided by (nil: a plain sum), to combine shards as one batch.
    private var normalizers: [Double?]
    /// Each shard's share Dᵢ / D of the batch's normalizer (1 for a summed loss).
    private var shares: [Double]
    /// With `countBatches`, each shard's counts over the training batches it computed since the
    /// last `takeBatchCounts` (`train_metrics: running`); empty otherwise.
    private var batchCounts: [MetricCounts] = []
    /// Training rows seen since the last `takeBatchCounts`, ignored samples included.
    private var batchRows = 0
    /// The fresh counts `batchCounts` starts from.
    private var emptyCounts: MetricCounts?

    /// Below this many multiply-adds per batch (batch rows × weights) one shard does it all.
    static var minimumWork: Int { 2_000_000 }

    /// How many shards batches of `batchSize` rows are cut into: 2 when each half is a worthwhile
    /// task on its own, else 1.
    static func count(batchSize: Int, network: Network<Scalar>) -> Int {
        let weights = network.parameters.reduce(0) { $0 + $1.parameter.value.count }
        return batchSize >= 64 && batchSize.multipliedReportingOverflow(by: weights).partialValue >= minimumWork
            && !batchSize.multipliedReportingOverflow(by: weights).overflow ? 2 : 1
    }

    var count: Int { shards.count }

    init(network: Network<Scalar>, shards: Int) {
        self.network = network
        self.shards = [network] + (1..<max(shards, 1)).map { _ in network.replica() }
        parameters = self.shards.map { $0.parameters.map(\.parameter) }
        selectsRows = Scalar.self == Float.self && network.layers.first is Dense<Scalar>
        inputs = self.shards.map { [selectsRows] _ in
            selectsRows ? Matrix(selectingRowsOf: network.inputSize) : Matrix(rows: 0, cols: network.inputSize)
        }
        targets = self.shards.map { _ in Matrix(rows: 0, cols: network.outputSize) }
        losses = Array(repeating: 0, count: self.shards.count)
        normalizers = Array(repeating: nil, count: self.shards.count)
        shares = Array(repeating: 1, count: self.shards.count)
    }

    /// The objective (data loss + regularisation) and the data loss on rows `rows` of `data` (all
    /// of it when nil), with every parameter's gradient set to the objective's: each shard
    /// gathers and back-propagates its share, then losses and gradients are weighted by their
    /// share of the batch's normalizer (rows, for a plain mean) and summed in shard order, and the
    /// regularisation is added once. The loss is normalised over the whole batch, never per shard.
    ///
    /// Each call is training step `network.stepsTaken + 1`: the layers run in training mode for it
    /// (dropout masks follow the step and the row's place in the whole batch) and are back in
    /// evaluation mode when it returns.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func computeGradients(_ data: Dataset<Scalar>, rows: ArraySlice<Int>?, reg: Double)
        -> (objective: Double, dataLoss: Double)
    {
        let n = rows?.count ?? data.count, count = min(shards.count, n)
        let counting = !batchCounts.isEmpty
        batchCounts.withUnsafeMutableBufferPointer { batchCounts in
            pending = Pending(data: data, rows: rows, n: n, count: count, step: network.stepsTaken + 1,
                              counts: counting ? batchCounts : nil)
            ComputeThreads.parallelFor(count, self)
            pending = nil
        }
        if counting { batchRows += n }
        network.stepsTaken += 1
        guard count > 1 else {
            network.addRegularizationGradient(strength: reg)
            return (losses[0] + network.regularizationLoss(strength: reg), losses[0])
        }
        // Lᵢ = Sᵢ / Dᵢ, so the batch's S / D = Σ Lᵢ · Dᵢ / D; a summed loss just adds.
        var total = 0.0, summed = false
        for shard in 0..<count {
            if let normalizer = normalizers[shard] { total += normalizer } else { summed = true }
        }
        for shard in 0..<count { shares[shard] = summed ? 1 : total > 0 ? normalizers[shard]! / total : 0 }
        var dataLoss = 0.0
        for shard in 0..<count { dataLoss += losses[shard] * shares[shard] }
        // g = Σ (Dᵢ / D) · gᵢ, the first two shards in one pass (the same roundings as two).
        for (index, parameter) in parameters[0].enumerated() {
            let g = parameter.gradient.storage, size = parameter.gradient.count
            let first = Scalar(shares[0]), second = Scalar(shares[1])
            let g1 = parameters[1][index].gradient.storage
            for i in 0..<size { g[i] = first * g[i] + second * g1[i] }
            for shard in 2..<count {
                let weight = Scalar(shares[shard])
                let gs = parameters[shard][index].gradient.storage
                for i in 0..<size { g[i] += weight * gs[i] }
            }
        }
        network.addRegularizationGradient(strength: reg)
        return (dataLoss + network.regularizationLoss(strength: reg), dataLoss)
    }

    /// The step `computeGradients` is computing, for `run(part:)` on the pool's threads.
    private struct Pending {
        let data: Dataset<Scalar>
        let rows: ArraySlice<Int>?
        /// Rows in the batch, and shards it is cut into.
        let n: Int, count: Int
        let step: Int
        /// Each shard's running counts, when counting.
        let counts: UnsafeMutableBufferPointer<MetricCounts>?

        /// Shard i takes rows n·i/count ..< n·(i+1)/count of the batch.
        func bound(_ shard: Int) -> Int { n * shard / count }
    }
    private var pending: Pending?

    /// Makes `computeGradients` count its batches for `takeBatchCounts`, from now on and afresh.
    func countBatches(kind: TargetKind, topK: [Int]) {
        let empty = MetricCounts(kind: kind, outputs: network.outputSize, topK: topK)
        emptyCounts = empty
        batchCounts = Array(repeating: empty, count: shards.count)
        batchRows = 0
    }

    /// The counts since the last `takeBatchCounts`, for a checkpoint; nil when not counting or
    /// when no batch has been counted since.
    var runningCounts: RunningCounts? {
        batchCounts.isEmpty || batchRows == 0 ? nil : RunningCounts(shards: batchCounts, rows: batchRows)
    }

    /// Continues counting from a checkpoint's `counts` (after `countBatches`); false, counting
    /// afresh, when they do not fit this model's shards and metrics (another number of shards or
    /// classes: not counts this run could have saved).
    @discardableResult
    func continueCounting(from counts: RunningCounts) -> Bool {
        guard let empty = emptyCounts, counts.shards.count == batchCounts.count, counts.rows >= 0,
              counts.shards.allSatisfy({ $0.hasTheShape(of: empty) }) else { return false }
        batchCounts = counts.shards
        batchRows = counts.rows
        return true
    }

    /// The loss and metrics of the training batches since the last call (or `countBatches`), nil
    /// when there were none; the counts start again at zero. The loss is the mean over those
    /// samples (Σ Sᵢ / Σ Dᵢ over the shards' batches); a summed loss is scaled to `samples` rows,
    /// one epoch's worth, as a full pass would sum it. Shards merge in shard order, and their
    /// number depends only on the model and the batch size, so the values do not depend on the machine.
    func takeBatchCounts(samples: Int) -> Evaluation? {
        guard batchRows > 0, let empty = emptyCounts else { return nil }
        var total = batchCounts[0]
        for part in batchCounts.dropFirst() { total.merge(part) }
        let rows = batchRows
        batchCounts = Array(repeating: empty, count: shards.count)
        batchRows = 0
        let loss = network.loss.sumsOverBatch ? total.lossSum * Double(samples) / Double(rows)
            : total.lossNormalizer > 0 ? total.lossSum / total.lossNormalizer : 0
        return Evaluation(loss: loss, accuracy: total.outputs != nil ? nil : Double(total.correct) / Double(max(total.count, 1)),
                          counts: total)
    }

    /// The mean data loss, the accuracy and the metric counts (with top-k hits for each of `topK`)
    /// of the current model over `data`, in chunks of `chunk` rows dealt to the shards in turn.
    /// No value depends on the number of shards: integer counts (confusion matrix, hits) add up
    /// per shard in any order, and sums of reals (loss, regression errors) are kept per chunk and
    /// combined in chunk order. Samples of the loss's `ignore_label` count in neither the loss
    /// nor any metric.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func evaluate(_ data: Dataset<Scalar>, chunk: Int, topK: [Int] = []) -> Evaluation {
        let chunks = (data.count + chunk - 1) / chunk, real = data.kind == .real
        var perShard = Array(repeating: MetricCounts(kind: data.kind, outputs: network.outputSize, topK: topK),
                             count: shards.count)
        var perChunk = Array(repeating: MetricCounts(kind: .real, outputs: real ? network.outputSize : 0), count: chunks)
        perShard.withUnsafeMutableBufferPointer { perShard in
            perChunk.withUnsafeMutableBufferPointer { perChunk in
                ComputeThreads.parallelFor(shards.count) { shard in
                    for index in stride(from: shard, to: chunks, by: shards.count) {
                        let start = index * chunk, rows = min(chunk, data.count - start)
                        // Rows in order, so each chunk is a view of the data set rather than a copy.
                        let x = Matrix(viewing: data.inputs, rows: start..<start + rows)
                        let t = Matrix(viewing: data.targets, rows: start..<start + rows)
                        let net = shards[shard]
                        let output = net.forward(x)
                        let loss = net.loss.forward(output, t), normalizer = net.loss.normalizer
                        perChunk[index].lossSum = loss * (normalizer ?? 1)
                        perChunk[index].lossNormalizer = normalizer ?? 0
                        let prediction = net.loss.prediction(from: output)
                        if real {
                            perChunk[index].add(prediction, t, kind: .real)
                        } else {
                            // Samples of the ignored class are left out of every metric, as of the loss.
                            perShard[shard].add(prediction, t, kind: data.kind, ignoring: net.loss.options.ignoreLabel)
                        }
                    }
                }
            }
        }
        var total = perShard[0]
        for part in perShard.dropFirst() { total.merge(part) }
        for part in perChunk { total.merge(part) }
        // A mean over the whole set: Σ Sᵢ / Σ Dᵢ (a summed loss: Σ Sᵢ).
        let normalizer = network.loss.sumsOverBatch ? 1 : total.lossNormalizer
        return Evaluation(loss: normalizer > 0 ? total.lossSum / normalizer : 0,
                          accuracy: real ? nil : Double(total.correct) / Double(max(total.count, 1)), counts: total)
    }

    /// Shard `shard`'s part of the step `computeGradients` is computing: gather, forward, count
    /// (with running metrics: the batch's own forward pass, so they cost no extra pass), backward.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func run(part shard: Int) {
        guard let pending else { preconditionFailure("run(part:) outside computeGradients") }
        let (x, t) = slice(pending.data, pending.rows, pending.bound(shard)..<pending.bound(shard + 1), shard: shard)
        let net = shards[shard]
        net.zeroGradients()
        net.setMode(.training(step: pending.step, firstRow: pending.bound(shard)))
        let output = net.forward(x)
        let loss = net.loss.forward(output, t), normalizer = net.loss.normalizer
        losses[shard] = loss
        normalizers[shard] = normalizer
        if let counts = pending.counts {
            counts[shard].lossSum += loss * (normalizer ?? 1)
            counts[shard].lossNormalizer += normalizer ?? 0
            counts[shard].add(net.loss.prediction(from: output), t, kind: pending.data.kind,
                              ignoring: net.loss.options.ignoreLabel)
        }
        net.backward()
        net.setMode(.evaluation)
    }

    /// Shard `shard`'s rows `part` of the batch: gathered into its own buffers, or views when the
    /// batch is the whole data set in order.
    private func slice(_ data: Dataset<Scalar>, _ rows: ArraySlice<Int>?, _ part: Range<Int>, shard: Int)
        -> (Matrix<Scalar>, Matrix<Scalar>)
    {
        guard let rows else {
            if part.count == data.count { return (data.inputs, data.targets) }
            return (Matrix(viewing: data.inputs, rows: part), Matrix(viewing: data.targets, rows: part))
        }
        let indices = rows[(rows.startIndex + part.lowerBound)..<(rows.startIndex + part.upperBound)]
        if selectsRows {
            inputs[shard].select(indices, of: data.inputs)
        } else {
            gatherRows(inputs[shard], from: data.inputs, indices)
        }
        gatherRows(targets[shard], from: data.targets, indices)
        return (inputs[shard], targets[shard])
    }
}
