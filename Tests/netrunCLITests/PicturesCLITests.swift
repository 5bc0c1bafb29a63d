import Foundation
import NetrunStore
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `netrun weights` and `netrun plot` write pictures of recorded runs.
final class PicturesCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-pictures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func train(_ arguments: [String]) throws {
        let result = try CLIRunner.run(arguments + ["--db", database, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// Width and height from a PNG's IHDR, after checking the signature and chunk type.
    private func pngSize(_ path: String) throws -> (width: Int, height: Int) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(Array(bytes.prefix(8)), [137, 80, 78, 71, 13, 10, 26, 10])
        XCTAssertEqual(String(decoding: bytes[12..<16], as: UTF8.self), "IHDR")
        func word(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }

    func testWeightsDrawsEachClassOfADigitsClassifier() throws {
        try train(["configs/digits-softmax.yaml"])
        let output = directory.appendingPathComponent("pictures/weights.png").path
        let result = try CLIRunner.run(["weights", "1", "-o", output, "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        // 8×8 digits are drawn at 12 pixels per weight by default: 96-pixel tiles, 24-pixel labels.
        XCTAssertEqual(result.stdout, "wrote \(output): 10 classes of 8×8, 548×292 pixels\n")
        let size = try pngSize(output)
        XCTAssertEqual(size.width, 548)
        XCTAssertEqual(size.height, 292)

        // The same picture as SVG: one tile per class, labels in a real font that grow with --scale
        // (a quarter of a tile's width at most, never below 10 px).
        for (scale, fontSize) in [(4, 10), (8, 16), (16, 32)] {
            let svg = directory.appendingPathComponent("weights-\(scale).svg").path
            let drawn = try CLIRunner.run(["weights", "1", "--scale", "\(scale)", "-o", svg, "--db", database])
            XCTAssertEqual(drawn.status, 0, drawn.stderr)
            XCTAssertEqual(try groups("tile", in: svg), (0..<10).map(String.init))
            let text = try String(contentsOfFile: svg, encoding: .utf8)
            XCTAssertTrue(text.contains("font-family=\"DejaVu Sans, Liberation Sans"), "a font that resolves here")
            XCTAssertEqual(text.components(separatedBy: "font-size=\"\(fontSize)\"").count - 1, 10, "scale \(scale)")
        }
        let jpeg = try CLIRunner.run(["weights", "1", "-o", "w.jpg", "--db", database])
        XCTAssertEqual(jpeg.status, 64)
        XCTAssertTrue(jpeg.stderr.contains("-o must name a .png or .svg file"), jpeg.stderr)
    }

    func testWeightsOfANonImageRunSaysWhatItCanDraw() throws {
        try train(["configs/xor-softmax.yaml"])
        let output = directory.appendingPathComponent("x.png").path
        let result = try CLIRunner.run(["weights", "1", "-o", output, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "netrun: run 1's inputs are 2 values, not an image; netrun weights draws 8×8 digits "
                       + "(64), 28×28 MNIST (784) and 32×32×3 CIFAR-10 (3072) inputs\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
    }

    /// Parses an SVG file with Foundation's XML parser (libxml2) and returns the values of `attribute`
    /// on the `g` elements of class `kind`, in document order.
    private func groups(_ kind: String, attribute: String = "data-name", in path: String) throws -> [String] {
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path), options: [])
        XCTAssertEqual(document.rootElement()?.name, "svg")
        return try document.nodes(forXPath: "//*[local-name()='g'][@class='\(kind)']/@\(attribute)")
            .compactMap(\.stringValue)
    }

    func testPlotOverlaysRunsWithTrainingAndValidationCurves() throws {
        try train(["configs/digits-softmax.yaml", "training.epochs=10"])
        try train(["configs/digits-softmax.yaml", "training.epochs=10", "training.learning_rate=0.05"])
        let output = directory.appendingPathComponent("plots/runs.svg").path
        let result = try CLIRunner.run(["plot", "1", "2", "-o", output, "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "wrote \(output)\n")
        let curves = ["run 1 digits-softmax train", "run 1 digits-softmax val",
                      "run 2 digits-softmax train", "run 2 digits-softmax val"]
        // Loss first, then accuracy.
        XCTAssertEqual(try groups("series", in: output), curves + curves)
        let svg = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertTrue(svg.contains(">iteration</text>"))

        let byEpoch = directory.appendingPathComponent("epochs.svg").path
        XCTAssertEqual(try CLIRunner.run(["plot", "1", "--x", "epoch", "-o", byEpoch, "--db", database]).status, 0)
        XCTAssertEqual(try groups("series", in: byEpoch), ["train", "val", "train", "val"])
        XCTAssertTrue(try String(contentsOfFile: byEpoch, encoding: .utf8).contains(">epoch</text>"))
    }

    func testPlotChartsAnyLoggedMetricAskedFor() throws {
        try train(["configs/digits-softmax.yaml", "training.epochs=4", "training.log_every=1",
                   "training.schedule={step: {every: 2, factor: 0.5}}", "training.metrics=[macro_f1]"])
        let output = directory.appendingPathComponent("extra.svg").path
        let result = try CLIRunner.run(["plot", "1", "--metric", "lr", "--metric", "macro_f1", "-o", output, "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        // loss, accuracy, then lr (train only) and macro_f1 (train and val).
        XCTAssertEqual(try groups("series", in: output), ["train", "val", "train", "val", "train", "train", "val"])
        let svg = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertTrue(svg.contains("learning rate"), "the lr chart says what it shows")

        let missing = try CLIRunner.run(["plot", "1", "--metric", "rmse", "-o", output, "--db", database])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("logged a train or val 'rmse'"), missing.stderr)
    }

    func testPlotWritesPNGWhenAskedFor() throws {
        try train(["configs/xor-softmax.yaml"])
        let output = directory.appendingPathComponent("loss.png").path
        let result = try CLIRunner.run(["plot", "1", "-o", output, "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        let size = try pngSize(output)
        XCTAssertEqual(size.width, 760 * 2, "charts are drawn at two pixels per point")
        XCTAssertGreaterThan(size.height, 2 * 2 * 300, "loss and accuracy, one above the other")

        // librsvg is opened only when a PNG is drawn; without it a PNG is refused, an SVG is not.
        let missing = directory.appendingPathComponent("missing.png").path
        let refused = try CLIRunner.run(["plot", "1", "-o", missing, "--db", database],
                                        environment: ["NETRUN_LIBRSVG": "/nonexistent/librsvg-2.so.2"])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.hasPrefix("netrun: PNG pictures need librsvg, which is not installed"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
        let svg = try CLIRunner.run(["plot", "1", "-o", directory.appendingPathComponent("fine.svg").path, "--db", database],
                                    environment: ["NETRUN_LIBRSVG": "/nonexistent/librsvg-2.so.2"])
        XCTAssertEqual(svg.status, 0, svg.stderr)
    }

    func testSweepHeatmapHasEveryTrialAndMarksTheBest() throws {
        let sweep = try CLIRunner.run(["sweep", "configs/digits-sweep.yaml", "training.epochs=3", "--db", database,
                                       "--quiet"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        // "best: trial 3 (training.learning_rate=0.5, training.reg=0.0001): …"
        let best = try XCTUnwrap(sweep.stdout.split(separator: "\n").first { $0.hasPrefix("best: ") })
        let settings = best.split(separator: "(")[1].split(separator: ")")[0].split(separator: ",")
            .map { Double($0.split(separator: "=")[1])! }

        let output = directory.appendingPathComponent("grid.svg").path
        let result = try CLIRunner.run(["plot", "--sweep", "1", "-o", output, "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try groups("cell", in: output).count, 9)
        let marked = try groups("best", in: output)
        XCTAssertEqual(marked.count, 1)
        XCTAssertEqual(marked.first.map { $0.split(separator: " ").map { Double($0)! } }, settings)
        let svg = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertTrue(svg.contains(">learning rate</text>"), "equal cells: no scale to name")
        XCTAssertTrue(svg.contains(">regularisation strength</text>"))
    }

    func testPlotExplainsWhatItNeeds() throws {
        _ = try RunStore(path: database)  // plot only reads: it would not create the database
        let missing = try CLIRunner.run(["plot", "7", "-o", directory.appendingPathComponent("a.svg").path,
                                         "--db", database])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "netrun: no run 7 in \(database); netrun runs lists them\n")
        let noSweep = try CLIRunner.run(["plot", "--sweep", "4", "-o", directory.appendingPathComponent("a.svg").path,
                                         "--db", database])
        XCTAssertEqual(noSweep.status, 2)
        XCTAssertTrue(noSweep.stderr.hasPrefix("netrun: no sweep 4 in "), noSweep.stderr)

        let jpeg = try CLIRunner.run(["plot", "1", "-o", "a.jpg", "--db", database])
        XCTAssertNotEqual(jpeg.status, 0)
        XCTAssertTrue(jpeg.stderr.contains("-o must name a .svg or .png file"), jpeg.stderr)
        let both = try CLIRunner.run(["plot", "1", "--sweep", "1", "-o", "a.svg", "--db", database])
        XCTAssertTrue(both.stderr.contains("give either run ids or --sweep, not both"), both.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("a.svg").path))
    }

    func testSweepOverThreeKeysIsRefusedWithAWayForward() throws {
        let config = directory.appendingPathComponent("three.yaml")
        try """
            name: three
            seed: 1
            data: {inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]]}
            model:
              inputs: 2
              layers: [{dense: {units: 4, activation: tanh}}, {dense: 2}]
            loss: softmax_cross_entropy
            training: {learning_rate: 0.5, epochs: 2}
            sweep:
              grid:
                training.learning_rate: [0.1, 1]
                training.reg: [0, 0.1]
                model.layers[0].dense.units: [2, 4]
              metric: train_loss
            """.write(to: config, atomically: true, encoding: .utf8)
        let sweep = try CLIRunner.run(["sweep", config.path, "--db", database, "--quiet"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        let result = try CLIRunner.run(["plot", "--sweep", "1", "-o", directory.appendingPathComponent("g.svg").path,
                                        "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("varies 3 keys"), result.stderr)
        XCTAssertTrue(result.stderr.contains("netrun runs --sweep 1"), result.stderr)
    }
}
