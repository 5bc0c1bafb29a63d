/// Small configs several CLI tests train: a few samples and epochs, so each runs in well under a second.
enum TinyConfigs {
    /// Two trials of a linear classifier on three Gaussian blobs, two epochs each.
    static let blobsSweep = blobs(training: "epochs: 2", sweep: """
        sweep:
          grid:
            training.learning_rate: [0.01, 0.1]

        """)

    /// `blobsSweep`'s model trained once: 45 training and 15 validation samples, 5 steps an epoch,
    /// a table row at steps 0, 5 and 10.
    static let blobs = blobs(training: "epochs: 2, log_every: 1")

    /// A linear classifier on three Gaussian blobs of 20 points, 15 of them held out for validation.
    private static func blobs(training: String, sweep: String = "") -> String {
        """
        name: blobs
        seed: 3
        data:
          synthetic: {kind: blobs, classes: 3, per_class: 20, dimensions: 2, spread: 2}
          split: {val: 15}
        model: {layers: [{dense: 3}]}
        loss: softmax_cross_entropy
        training: {learning_rate: 0.1, batch_size: 10, \(training)}

        """ + sweep
    }
}
