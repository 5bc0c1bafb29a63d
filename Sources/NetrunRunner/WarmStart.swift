import Foundation
import NetrunConfig
import NetrunCore
import NetrunStore

/// `model.init_from`: weights saved by `netrun export`, or a recorded run's model, put into a
/// freshly built network, as PyTorch's `model.load_state_dict(torch.load(…), strict=True)`.
///
/// Tensors are matched by the names `netrun export` writes (`0.weight`, `0.bias`, `2.weight`, …).
/// Loading is strict: a tensor the model has and the file lacks, one of another shape, and one
/// the model has no place for are all errors, listed together at `model.init_from`, because a
/// partly loaded model trains without a word of warning into something else.
public enum WarmStart {
    /// Loads `config`'s `init_from` (if any) into `network`; `database` is the run database a
    /// `{run: ID}` is looked up in. F32 and F64 values are converted to the network's type.
    public static func apply<Scalar: NetScalar>(_ config: Config, to network: Network<Scalar>, database: String?) throws {
        guard let source = config.model.initFrom else { return }
        try load(try tensors(source, database: database), into: network, at: source)
    }

    /// The named tensors `source` holds.
    static func tensors(_ source: Located<WarmStartSource>, database: String?) throws -> [ImportedTensor] {
        switch source.value {
        case .file(let file):
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file.resolved))
            } catch {
                let exists = FileManager.default.fileExists(atPath: file.resolved)
                throw source.error("cannot read \(file.resolved): \(exists ? "permission denied or not a file" : "no such file")")
            }
            do {
                return try Safetensors.decode(data)
            } catch let error as SafetensorsError {
                throw source.error("\(file.resolved) is not a safetensors file netrun can read: \(error)")
            }
        case .run(let id):
            guard let database else {
                throw source.error("{run: \(id)} names a recorded run, but no run database is given here")
            }
            let store: RunStore, summary: RunSummary?
            do {
                store = try RunStore(readingAt: database)
                summary = try store.summary(runID: id)
            } catch {
                throw source.error("cannot read run \(id) from \(database): \(error)")
            }
            guard let summary else { throw source.error("there is no run \(id) in \(database)") }
            let weights = try store.weights(runID: id)
            guard !weights.isEmpty else {
                throw source.error("run \(id) (\(summary.name)) is \(summary.status.rawValue) and has no stored model "
                                   + "weights; only a finished run's model can be started from")
            }
            return weights.map { ImportedTensor(name: "\($0.layer).\($0.name)", shape: $0.shape, values: $0.values) }
        }
    }

    /// Copies `tensors` into `network`'s parameters by name, or throws one error listing every
    /// missing, misshaped and unexpected tensor.
    static func load<Scalar: NetScalar>(_ tensors: [ImportedTensor], into network: Network<Scalar>,
                                        at source: Located<WarmStartSource>) throws {
        var byName: [String: ImportedTensor] = [:]
        for tensor in tensors { byName[tensor.name] = tensor }
        var missing: [String] = [], misshaped: [String] = [], matched: [(Parameter<Scalar>, ImportedTensor)] = []
        for (layer, parameter) in network.parameters {
            let name = "\(layer).\(parameter.name)"
            guard let tensor = byName.removeValue(forKey: name) else { missing.append(name); continue }
            guard tensor.shape == parameter.shape else {
                misshaped.append("\(name) has shape \(tensor.shape), the model's \(parameter.shape)")
                continue
            }
            matched.append((parameter, tensor))
        }
        let unexpected = tensors.map(\.name).filter { byName[$0] != nil }
        var problems: [String] = []
        if !missing.isEmpty { problems.append("missing \(missing.joined(separator: ", "))") }
        problems += misshaped
        if !unexpected.isEmpty { problems.append("unexpected \(unexpected.joined(separator: ", ")) (no such parameter in the model)") }
        guard problems.isEmpty else {
            throw source.error("the weights do not fit the model: " + problems.joined(separator: "; ")
                               + "; tensors are named LAYER.weight and LAYER.bias with layers numbered as `netrun export` names them")
        }
        for (parameter, tensor) in matched {
            for (i, value) in tensor.values.enumerated() { parameter.value.storage[i] = Scalar(value) }
        }
    }
}
