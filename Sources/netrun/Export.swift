import ArgumentParser
import Foundation
import NetrunRunner
import NetrunStore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a recorded run's weights as safetensors or as .npy files, for PyTorch or numpy.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case safetensors, npy
    }

    @Argument(help: "The run's id.")
    var runID: Int64

    @Option(help: "safetensors (one file) or npy (a folder of LAYER.NAME.npy files).")
    var format: Format = .safetensors

    @Option(name: .shortAndLong, help: "The file (safetensors) or folder (npy) to write.")
    var output: String

    @OptionGroup var storage: StoreOptions

    func run() throws {
        let model = try loadStoredModel(runID, storage: storage)
        // nn.Sequential's state_dict names: activation layers take indices too, as in netrun.
        let tensors = model.network.parameters.map { layer, parameter in
            ExportTensor(name: "\(layer).\(parameter.name)", shape: parameter.shape, values: parameter.value.values)
        }
        do {
            switch format {
            case .safetensors:
                let metadata = ["format": "pt", "netrun_run": String(model.run.id), "netrun_name": model.run.name,
                                "netrun_weights": model.weightsSource, "netrun_version": model.run.netrunVersion]
                try write(try Safetensors.encode(tensors, metadata: metadata), to: output)
                print("wrote \(tensors.count) tensors of run \(model.run.id) to \(output)")
            case .npy:
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                for tensor in tensors {
                    try write(try NPY.encode(shape: tensor.shape, values: tensor.values), to: output + "/\(tensor.name).npy")
                }
                print("wrote \(tensors.count) .npy files of run \(model.run.id) to \(output)/")
            }
        } catch {
            printError("\(error)")
            throw ExitStatus.badInput
        }
    }

    /// Writes through a temporary file and a rename, so a reader never sees half a file.
    private func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }
}
