import XCTest
@testable import NetrunPlot

final class WeightImageTests: XCTestCase {
    static let cifarLabels = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

    /// A CIFAR-shaped class vector with each channel plane constant, so the tile's colour says which
    /// plane went to which channel.
    static func planes(_ r: Float, _ g: Float, _ b: Float) -> [Float] {
        Array(repeating: r, count: 1024) + Array(repeating: g, count: 1024) + Array(repeating: b, count: 1024)
    }

    /// The picture and its PNG read back.
    static func render(_ weights: [[Float]], labels: [String], height: Int, width: Int, channels: Int = 1,
                       channelMajor: Bool = false, scale: Int = 4) throws -> (WeightPicture, DecodedPNG) {
        let picture = try WeightImages.picture(weights: weights, labels: labels, height: height, width: width,
                                               channels: channels, channelMajor: channelMajor, scale: scale)
        return (picture, try DecodedPNG(picture.png()))
    }

    func testGridOfTenCIFARClassesIsTwoRowsOfFive() throws {
        let (picture, image) = try Self.render((0..<10).map { Self.planes(Float($0), 0, -1) }, labels: Self.cifarLabels,
                                               height: 32, width: 32, channels: 3, channelMajor: true)
        let layout = WeightImages.Layout(labels: Self.cifarLabels, height: 32, width: 32, scale: 4)
        XCTAssertEqual([layout.columns, layout.rows], [5, 2])
        XCTAssertEqual(layout.columnWidth, 136, "\"automobile\" at 24 px is wider than its 128-pixel tile")
        XCTAssertEqual([image.width, image.height], [picture.width, picture.height])
        XCTAssertEqual(picture.width, 10 + 5 * 136 + 4 * 12 + 10)
        XCTAssertEqual(picture.height, 10 + 2 * (128 + 4 + 30) + 12 + 10, "24-pixel labels on 30-pixel lines")
        XCTAssertEqual(image[0, 0], .white, "margin")
        XCTAssertEqual(image[image.width - 1, image.height - 1], .white, "margin")
    }

    func testEachClassIsScaledOnItsOwnAndTilesArePixelExact() throws {
        // Different magnitudes per class; each must still use the full 0…255 range.
        let weights: [[Float]] = [[0, 1], [-500, 1500], [3, 3]]
        let (_, image) = try Self.render(weights, labels: ["a", "b", "c"], height: 1, width: 2, scale: 3)
        let layout = WeightImages.Layout(labels: ["a", "b", "c"], height: 1, width: 2, scale: 3)
        for index in 0..<2 {
            let o = layout.tileOrigin(index)
            XCTAssertEqual(image[o.x, o.y], RGBColour(gray: 0), "class \(index) minimum")
            XCTAssertEqual(image[o.x + 2, o.y + 2], RGBColour(gray: 0), "enlarged block, not smoothed")
            XCTAssertEqual(image[o.x + 3, o.y], RGBColour(gray: 255), "class \(index) maximum")
            XCTAssertEqual(image[o.x + 5, o.y + 2], RGBColour(gray: 255), "enlarged block")
        }
        let flat = layout.tileOrigin(2)
        XCTAssertEqual(image[flat.x, flat.y], RGBColour(gray: 128), "constant vector is mid grey")
        XCTAssertEqual(image[flat.x + 4, flat.y + 1], RGBColour(gray: 128))
        XCTAssertEqual(WeightImages.normalised([0, 0.5, 1, .nan]), [0, 128, 255, 128])
    }

    func testChannelOrders() throws {
        let (_, image) = try Self.render([Self.planes(1, 0, 0), Self.planes(0, 0, 1)], labels: ["r", "b"],
                                         height: 32, width: 32, channels: 3, channelMajor: true)
        let layout = WeightImages.Layout(labels: ["r", "b"], height: 32, width: 32, scale: 4)
        let red = layout.tileOrigin(0), blue = layout.tileOrigin(1)
        XCTAssertEqual(image[red.x + 60, red.y + 60], RGBColour(r: 255, g: 0, b: 0), "red from the first third")
        XCTAssertEqual(image[blue.x + 127, blue.y + 127], RGBColour(r: 0, g: 0, b: 255))

        // One 1×2 RGB image, interleaved: pixel 0 is pure red, pixel 1 pure green.
        let (_, interleaved) = try Self.render([[1, 0, 0, 0, 1, 0]], labels: ["x"], height: 1, width: 2,
                                               channels: 3, channelMajor: false, scale: 1)
        let o = WeightImages.Layout(labels: ["x"], height: 1, width: 2, scale: 1).tileOrigin(0)
        XCTAssertEqual(interleaved[o.x, o.y], RGBColour(r: 255, g: 0, b: 0))
        XCTAssertEqual(interleaved[o.x + 1, o.y], RGBColour(r: 0, g: 255, b: 0))
    }

    func testGrayscaleTileAndPixelPosition() throws {
        // 8×8 digits: a single hot pixel at row 2, column 5.
        var vector = [Float](repeating: 0, count: 64)
        vector[2 * 8 + 5] = 1
        let (_, image) = try Self.render([vector], labels: ["0"], height: 8, width: 8)
        let o = WeightImages.Layout(labels: ["0"], height: 8, width: 8, scale: 4).tileOrigin(0)
        XCTAssertEqual(image[o.x + 5 * 4 + 3, o.y + 2 * 4], .white)
        XCTAssertEqual(image[o.x + 5 * 4 - 1, o.y + 2 * 4], .black)
    }

    /// Every label is inked, inside its own column: the gaps between columns stay white on the label
    /// lines, so no two labels touch, at the default scale and at the smallest.
    func assertLabelsStayInTheirColumns(_ labels: [String], height: Int, width: Int, scale: Int,
                                        file: StaticString = #filePath, line: UInt = #line) throws {
        let weights = labels.map { _ in (0..<(height * width)).map { Float($0 % 7) } }
        let (_, image) = try Self.render(weights, labels: labels, height: height, width: width, scale: scale)
        let layout = WeightImages.Layout(labels: labels, height: height, width: width, scale: scale)
        for index in labels.indices {
            let cell = layout.cellOrigin(index), top = cell.y + layout.tileHeight
            let lineRows = top..<(top + WeightImages.labelGap + layout.labelHeight)
            let wide = max(0, cell.x - layout.gap)..<min(image.width, cell.x + layout.columnWidth + layout.gap)
            let ink = image.ink(x: wide, y: lineRows)
            XCTAssertGreaterThan(ink.count, 10, "label \(labels[index]) is drawn", file: file, line: line)
            let outside = ink.filter { $0.x < cell.x || $0.x >= cell.x + layout.columnWidth }
            XCTAssertTrue(outside.isEmpty, "label \(labels[index]) runs out of its column at \(outside.prefix(3))",
                          file: file, line: line)
            XCTAssertTrue(image.ink(x: cell.x..<(cell.x + layout.columnWidth), y: top..<(top + 1)).isEmpty,
                          "the strip under tile \(index) stays white", file: file, line: line)
        }
    }

    func testLabelsNeverLeaveTheirColumn() throws {
        try assertLabelsStayInTheirColumns(Self.cifarLabels, height: 32, width: 32, scale: 4)
        try assertLabelsStayInTheirColumns(Self.cifarLabels, height: 8, width: 8, scale: 1)
        let long = ["a class name far too long to fit under any tile", "WWWWWWWWWWWWWWWWWWWW", "ünïcødé ラベル", "7"]
        try assertLabelsStayInTheirColumns(long, height: 8, width: 8, scale: 4)
    }

    func testHundredHiddenUnitsMakeATenByTenGridWithWholeLabels() throws {
        let labels = (0..<100).map { "unit \($0)" }
        // At one pixel per weight "unit 99" (10 px text) is wider than its 28-pixel tile: the columns widen.
        try assertLabelsStayInTheirColumns(labels, height: 28, width: 28, scale: 1)
        let small = WeightImages.Layout(labels: labels, height: 28, width: 28, scale: 1)
        XCTAssertGreaterThan(small.columnWidth, 28)
        for layout in [small, WeightImages.Layout(labels: labels, height: 28, width: 28, scale: 4)] {
            XCTAssertEqual([layout.columns, layout.rows], [10, 10])
            XCTAssertEqual(layout.labels.map(\.text), labels, "none shrunk or cut")
            XCTAssertTrue(layout.labels.allSatisfy { $0.size == layout.fontSize })
        }
    }

    func testLabelsGrowWithTheScale() throws {
        let sizes = [1, 2, 4, 8].map { WeightImages.Layout(labels: ["cat"], height: 32, width: 32, scale: $0).fontSize }
        XCTAssertEqual(sizes, [10, 12, 24, 48], "at least 10 px")
        // The rendered letters grow too: the ink of "cat" under its tile is taller at scale 8 than at 4.
        func inkHeight(_ scale: Int) throws -> Int {
            let (_, image) = try Self.render([Self.planes(0, 1, 2)], labels: ["cat"], height: 32, width: 32,
                                             channels: 3, channelMajor: true, scale: scale)
            let ink = image.ink(x: 0..<image.width, y: (10 + 32 * scale + 1)..<image.height)
            return (ink.map(\.y).max() ?? 0) - (ink.map(\.y).min() ?? 0)
        }
        XCTAssertGreaterThan(try inkHeight(8), try inkHeight(4) * 3 / 2)
    }

    func testALabelTooLongShrinksThenIsCut() {
        let room = 100.0
        let fits = WeightImages.Layout.fit("cat", size: 20, into: room)
        XCTAssertEqual(fits, WeightImages.Label(text: "cat", size: 20))
        let shrunk = WeightImages.Layout.fit("automobiles", size: 20, into: room)
        XCTAssertEqual(shrunk.text, "automobiles")
        XCTAssertLessThan(shrunk.size, 20)
        XCTAssertLessThanOrEqual(TextWidth.estimate(shrunk.text, size: shrunk.size), room + 1e-9)
        let cut = WeightImages.Layout.fit("a class name far too long to fit", size: 20, into: room)
        XCTAssertTrue(cut.text.hasPrefix("a class"), cut.text)
        XCTAssertTrue(cut.text.hasSuffix("…"), cut.text)
        XCTAssertEqual(cut.size, 15)
        XCTAssertLessThanOrEqual(TextWidth.estimate(cut.text, size: cut.size), room)
    }

    func testMissingLabelsFallBackToIndexAndEmptyGridIsBlank() throws {
        let picture = try WeightImages.picture(weights: [[0, 1], [1, 0]], labels: [], height: 1, width: 2,
                                               channels: 1, channelMajor: false, scale: 8)
        XCTAssertTrue(picture.svg.contains(">0</text>") && picture.svg.contains(">1</text>"), picture.svg)
        let (_, empty) = try Self.render([], labels: [], height: 28, width: 28)
        XCTAssertEqual([empty.width, empty.height], [20, 20])
        XCTAssertTrue(empty.words.allSatisfy { DecodedPNG.colour($0) == 0xFF_FFFF })
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
