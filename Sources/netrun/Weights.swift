import ArgumentParser
import Foundation
import NetrunCore
import NetrunPlot
import NetrunRunner

/// `netrun weights RUN -o FILE.png` (or `.svg`): the first layer's weights as pictures, one per unit.
struct Weights: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the first layer's weights of a run on image data as pictures, one per class or unit.",
        discussion: """
            For a softmax classifier (one dense layer) each picture is a class's template, as at the end \
            of cs231n's softmax exercise. Each picture is scaled on its own, lowest weight black, highest \
            white. Inputs must be images: 8×8 digits, 28×28 MNIST or 32×32×3 CIFAR-10. Labels grow with \
            --scale and never overlap: a long one shrinks, or is cut short with "…".
            """)

    @Argument(help: "The run's id (see netrun runs).")
    var runID: Int64

    @Option(name: .shortAndLong, help: "The file to write: .png or .svg.")
    var output: String

    @Option(help: "Pixels per weight (default: tiles at least 96 pixels wide: 12 for 8×8 digits, 4 for MNIST and CIFAR-10); the labels grow with it.")
    var scale: Int?

    @OptionGroup var storage: StoreOptions

    private var format: String { (output as NSString).pathExtension.lowercased() }

    func validate() throws {
        guard ["png", "svg"].contains(format) else { throw ValidationError("-o must name a .png or .svg file") }
        if let scale, !(1...16).contains(scale) { throw ValidationError("--scale must be 1…16") }
    }

    func run() throws {
        let model = try loadStoredModel(runID, storage: storage)
        let layers = model.network.layerKinds
        guard layers.first?.isDense == true,
              let first = model.network.tensors.first(where: { $0.layer == 0 && $0.name == "weight" }),
              first.shape.count == 2 else {
            printError("run \(runID)'s first layer is not dense; there are no input weights to draw")
            throw ExitStatus.badInput
        }
        let (units, inputs) = (first.shape[0], first.shape[1])
        guard let shape = WeightImages.imageShape(inputs: inputs) else {
            printError("run \(runID)'s inputs are \(inputs) values, not an image; netrun weights draws "
                       + "8×8 digits (64), 28×28 MNIST (784) and 32×32×3 CIFAR-10 (3072) inputs")
            throw ExitStatus.badInput
        }
        let rows = (0..<units).map { unit in first.values[unit * inputs..<(unit + 1) * inputs].map { Float($0) } }
        // A single dense layer maps inputs straight to classes; otherwise these are hidden units.
        let isClassLayer = layers.count == 1 || (layers.count == 2 && !layers[1].isDense)
        let labels = (0..<units).map { isClassLayer ? model.className($0) : "unit \($0)" }
        let picture: WeightPicture, bytes: Data
        do {
            picture = try WeightImages.picture(weights: rows, labels: labels, height: shape.height, width: shape.width,
                                               channels: shape.channels, channelMajor: shape.channelMajor,
                                               scale: scale ?? WeightImages.defaultScale(width: shape.width))
            bytes = try format == "png" ? Data(picture.png()) : Data(picture.svg.utf8)
        } catch let error as PictureError {
            throw ExitStatus.failing(error, otherwise: .failure)
        }
        try writeOutputFile(bytes, to: output)
        print("wrote \(output): \(units) \(isClassLayer ? "classes" : "units") of "
              + "\(shape.height)×\(shape.width)\(shape.channels == 3 ? "×3" : ""), \(picture.width)×\(picture.height) pixels")
    }
}
