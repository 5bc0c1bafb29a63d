import XCTest
@testable import NetrunPlot

final class WeightImageTests: XCTestCase {
    static let cifarLabels = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

    /// A CIFAR-shaped class vector with each channel plane constant, so the tile's colour says which
    /// plane went to which channel.
    static func planes(_ r: Float, _ g: Float, _ b: Float) -> [Float] {
        Array(repeating: r, count: 1024) + Array(repeating: g, count: 1024) + Array(repeating: b, count: 1024)
    }

    func testGridSizeForTenCIFARClasses() {
        let weights = (0..<10).map { Self.planes(Float($0), 0, -1) }
        let image = WeightImages.grid(weights: weights, labels: Self.cifarLabels, height: 32, width: 32,
                                      channels: 3, channelMajor: true, scale: 4)
        // 5 columns of 128 px tiles, 2 rows; 10 px margins and gaps; labels 14 px tall 4 px below tiles.
        XCTAssertEqual(image.width, 10 + 5 * 128 + 4 * 10 + 10)
        XCTAssertEqual(image.height, 10 + 2 * (128 + 4 + 14) + 10 + 10)
        XCTAssertEqual(image.width, 700)
        XCTAssertEqual(image.height, 322)
        XCTAssertEqual(image[0, 0], .white, "margin")
        XCTAssertEqual(image[699, 321], .white, "margin")
    }

    func testPerClassScaling() {
        // Different magnitudes per class; each must still use the full 0…255 range.
        let weights: [[Float]] = [[0, 1], [-500, 1500], [3, 3]]
        let image = WeightImages.grid(weights: weights, labels: ["a", "b", "c"], height: 1, width: 2,
                                      channels: 1, channelMajor: false, scale: 3)
        let layout = WeightImages.Layout(classes: 3, height: 1, width: 2, scale: 3)
        for index in 0..<2 {
            let o = layout.tileOrigin(index)
            XCTAssertEqual(image[o.x, o.y], RGBColour(gray: 0), "class \(index) minimum")
            XCTAssertEqual(image[o.x + 3, o.y], RGBColour(gray: 255), "class \(index) maximum")
            XCTAssertEqual(image[o.x + 5, o.y + 2], RGBColour(gray: 255), "enlarged block")
        }
        let flat = layout.tileOrigin(2)
        XCTAssertEqual(image[flat.x, flat.y], RGBColour(gray: 128), "constant vector is mid grey")
        XCTAssertEqual(image[flat.x + 4, flat.y + 1], RGBColour(gray: 128))
        XCTAssertEqual(WeightImages.normalised([0, 0.5, 1, .nan]), [0, 128, 255, 128])
    }

    func testChannelMajorTakesRedFromFirstThird() {
        let weights = [Self.planes(1, 0, 0), Self.planes(0, 0, 1)]
        let image = WeightImages.grid(weights: weights, labels: ["r", "b"], height: 32, width: 32,
                                      channels: 3, channelMajor: true)
        let layout = WeightImages.Layout(classes: 2, height: 32, width: 32, scale: 4)
        let red = layout.tileOrigin(0), blue = layout.tileOrigin(1)
        XCTAssertEqual(image[red.x + 60, red.y + 60], RGBColour(r: 255, g: 0, b: 0))
        XCTAssertEqual(image[blue.x + 127, blue.y + 127], RGBColour(r: 0, g: 0, b: 255))
    }

    func testInterleavedOrdering() {
        // One 1×2 RGB image, interleaved: pixel 0 is pure red, pixel 1 pure green.
        let image = WeightImages.grid(weights: [[1, 0, 0, 0, 1, 0]], labels: ["x"], height: 1, width: 2,
                                      channels: 3, channelMajor: false, scale: 1)
        let o = WeightImages.Layout(classes: 1, height: 1, width: 2, scale: 1).tileOrigin(0)
        XCTAssertEqual(image[o.x, o.y], RGBColour(r: 255, g: 0, b: 0))
        XCTAssertEqual(image[o.x + 1, o.y], RGBColour(r: 0, g: 255, b: 0))
    }

    func testGrayscaleTileAndPixelPosition() {
        // 8×8 digits: a single hot pixel at row 2, column 5.
        var vector = [Float](repeating: 0, count: 64)
        vector[2 * 8 + 5] = 1
        let image = WeightImages.grid(weights: [vector], labels: ["0"], height: 8, width: 8,
                                      channels: 1, channelMajor: false, scale: 4)
        let o = WeightImages.Layout(classes: 1, height: 8, width: 8, scale: 4).tileOrigin(0)
        XCTAssertEqual(image[o.x + 5 * 4 + 3, o.y + 2 * 4], .white)
        XCTAssertEqual(image[o.x + 5 * 4 - 1, o.y + 2 * 4], .black)
    }

    func testLabelsAreDrawnBelowTiles() {
        let weights = (0..<10).map { Self.planes(Float($0), 1, 2) }
        let image = WeightImages.grid(weights: weights, labels: Self.cifarLabels, height: 32, width: 32,
                                      channels: 3, channelMajor: true, scale: 4)
        let layout = WeightImages.Layout(classes: 10, height: 32, width: 32, scale: 4)
        for index in 0..<10 {
            let o = layout.tileOrigin(index)
            let top = o.y + layout.tileHeight + WeightImages.labelGap
            var ink = 0
            for y in top..<(top + layout.labelHeight) {
                for x in (o.x - WeightImages.gap / 2)..<(o.x + layout.tileWidth + WeightImages.gap / 2)
                where image[x, y] != .white {
                    ink += 1
                }
            }
            XCTAssertGreaterThan(ink, 20, "label of class \(index)")
            // The strip between tile and label stays white.
            XCTAssertEqual(image[o.x + 64, o.y + layout.tileHeight + 1], .white)
        }
    }

    func testGridEncodesToAValidPNG() throws {
        let weights = (0..<10).map { Self.planes(Float($0), Float(10 - $0), 0) }
        let image = WeightImages.grid(weights: weights, labels: Self.cifarLabels, height: 32, width: 32,
                                      channels: 3, channelMajor: true)
        let decoded = try PNGTestSupport.decodeWithPython(PNGEncoder.encode(image), points: [(x: 0, y: 0)])
        XCTAssertEqual(decoded.width, 700)
        XCTAssertEqual(decoded.height, 322)
        XCTAssertEqual(decoded.hex, PNGTestSupport.hex(image.pixels))
    }

    func testMissingLabelsFallBackToIndexAndEmptyGridIsBlank() {
        let image = WeightImages.grid(weights: [[0, 1], [1, 0]], labels: [], height: 1, width: 2,
                                      channels: 1, channelMajor: false, scale: 8)
        XCTAssertTrue(image.pixels.contains(0))
        let empty = WeightImages.grid(weights: [], labels: [], height: 28, width: 28, channels: 1,
                                      channelMajor: false)
        XCTAssertTrue(empty.pixels.allSatisfy { $0 == 255 })
    }

    func testImageShape() {
        func shape(_ n: Int) -> [Int]? {
            WeightImages.imageShape(inputs: n).map { [$0.height, $0.width, $0.channels, $0.channelMajor ? 1 : 0] }
        }
        XCTAssertEqual(shape(64), [8, 8, 1, 0])
        XCTAssertEqual(shape(784), [28, 28, 1, 0])
        XCTAssertEqual(shape(3072), [32, 32, 3, 1])
        XCTAssertNil(shape(4))
        XCTAssertNil(shape(0))
        XCTAssertNil(shape(1024))
    }
}
