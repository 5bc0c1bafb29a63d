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
        let tensors = model.network.tensors.map { tensor in
            ExportTensor(name: "\(tensor.layer).\(tensor.name)", shape: tensor.shape, values: tensor.values, dtype: tensor.dtype)
        }
        do {
            switch format {
            case .safetensors:
                let metadata = ["format": "pt", "netrun_run": String(model.run.id), "netrun_name": model.run.name,
                                "netrun_weights": model.weightsSource, "netrun_version": model.run.netrunVersion]
                try writeOutput(try Safetensors.encode(tensors, metadata: metadata), to: output)
                print("wrote \(tensors.count) tensors of run \(model.run.id) to \(output)")
            case .npy:
                try createFolder(output)
                for tensor in tensors {
                    try writeOutput(try NPY.encode(tensor), to: output + "/\(tensor.name).npy")
                }
                print("wrote \(tensors.count) .npy files of run \(model.run.id) to \(output)/")
            }
        } catch {
            throw ExitStatus.failing(error)
        }
    }

    /// The folder `.npy` files go in, created with its parents; a file already there is not a folder.
    private func createFolder(_ path: String) throws {
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFDIR {
            throw OutputError(path: path, reason: "it is not a folder, and --format npy writes a folder of .npy files")
        }
        try createFolders(path)
    }
}
