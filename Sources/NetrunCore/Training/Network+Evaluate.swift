extension Network {
    /// The mean data loss, the accuracy and the metric counts (with top-k hits for each of `topK`)
    /// of the current model over `data`, measured as training measures its log points: forward
    /// only, in chunks of `Trainer.evaluationChunk` rows shared out to the cores, so the values
    /// equal the ones a run logged for the same weights.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func evaluate(_ data: Dataset<Scalar>, topK: [Int] = []) -> Evaluation {
        let chunk = Trainer<Scalar>.evaluationChunk
        let shards = ShardedNetwork(network: self, shards: ShardedNetwork.count(batchSize: chunk, network: self))
        return shards.evaluate(data, chunk: chunk, topK: topK)
    }
}
