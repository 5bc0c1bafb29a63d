import NetrunConfig

extension DataSource {
    /// The files `SourceReader` reads for this source, in reading order, as written in the config
    /// and as opened; none for inline and synthetic samples.
    public var files: [(written: String, resolved: String)] {
        switch kind {
        case .csv(let csv):
            return [(csv.file.written, csv.file.resolved)]
        case .idx(let idx):
            return [(idx.images.written, idx.images.resolved), (idx.labels.written, idx.labels.resolved)]
        case .cifar10(let cifar):
            return cifar.fileNames.map { (cifar.folder.written + "/" + $0, cifar.folder.resolved + "/" + $0) }
        case .inline, .synthetic:
            return []
        }
    }
}

extension DataConfig {
    /// Every file a config's data reads, with the role of its source: `train` for the `data:`
    /// source (which a split cuts validation and test parts from), `val` and `test` for `data.val`
    /// and `data.test`.
    public var files: [(role: String, written: String, resolved: String)] {
        [("train", source), ("val", validation), ("test", test)].flatMap { role, source in
            (source?.files ?? []).map { (role, $0.written, $0.resolved) }
        }
    }
}
