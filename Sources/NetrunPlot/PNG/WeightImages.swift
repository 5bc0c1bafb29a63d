import Foundation

/// Pictures of a linear classifier's (or a first layer's) weights, one tile per class, the way cs231n
/// shows them: for image inputs each class's weight vector is itself an image, a "template" the class
/// matches against, and seeing the templates is the quickest check that training learned something.
///
/// The grid is an SVG document (each tile an embedded image, each label text in a real font); its PNG
/// is that SVG rendered by librsvg, so both show the same picture.
public enum WeightImages {
    /// White space around the whole grid.
    static let margin = 10
    /// Space between a tile and its label.
    static let labelGap = 4

    /// The scale `netrun weights` draws at unless told: pixels per weight so that a tile is at least
    /// 96 pixels wide (12 for 8×8 digits, 4 for 28×28 MNIST and 32×32 CIFAR-10).
    public static func defaultScale(width: Int) -> Int {
        max(4, (96 + max(width, 1) - 1) / max(width, 1))
    }

    /// One tile per row of `weights`, `scale` pixels per weight, labelled from `labels` (a class's index
    /// when its label is missing), on a white background.
    ///
    /// Every class is scaled to 0…255 on its own (its minimum → 0, maximum → 255, a constant vector →
    /// mid grey): classes' weights differ in magnitude, and a shared scale would leave some tiles flat.
    /// `channelMajor` says how the vector orders pixels: all of channel 0, then 1, then 2 (CIFAR-10's
    /// file layout), or interleaved RGBRGB….
    public static func picture(weights: [[Float]], labels: [String], height: Int, width: Int, channels: Int,
                               channelMajor: Bool, scale: Int = 4) throws -> WeightPicture {
        precondition(height > 0 && width > 0, "image shape must be positive (got \(height)×\(width))")
        precondition(channels == 1 || channels == 3, "channels must be 1 or 3 (got \(channels))")
        precondition(scale > 0, "scale must be positive")
        let names = weights.indices.map { $0 < labels.count ? labels[$0] : String($0) }
        let layout = Layout(labels: names, height: height, width: width, scale: scale)

        var body = ""
        for (index, vector) in weights.enumerated() {
            precondition(vector.count == height * width * channels,
                         "class \(index) has \(vector.count) weights, expected \(height)×\(width)×\(channels)")
            let tile = try tilePNG(normalised(vector), height: height, width: width, channels: channels,
                                   channelMajor: channelMajor, scale: scale)
            let origin = layout.tileOrigin(index), label = layout.labels[index]
            let centre = layout.labelCentre(index)
            // The tile is embedded at its drawn size, so it maps pixel for pixel onto the PNG;
            // `image-rendering` keeps the weights as sharp squares when a browser zooms the SVG.
            body += """
                <g class="tile" data-name="\(SVGCanvas.escape(names[index]))">
                  <image x="\(origin.x)" y="\(origin.y)" width="\(layout.tileWidth)" height="\(layout.tileHeight)" \
                preserveAspectRatio="none" style="image-rendering:pixelated" \
                xlink:href="data:image/png;base64,\(Data(tile).base64EncodedString())"/>
                  <text x="\(SVGCanvas.number(centre.x))" y="\(SVGCanvas.number(centre.y + 0.35 * label.size))" \
                font-size="\(SVGCanvas.number(label.size))" text-anchor="middle" fill="#000000">\
                \(SVGCanvas.escape(label.text))</text>
                </g>

                """
        }
        let svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" \
            width="\(layout.imageWidth)" height="\(layout.imageHeight)" \
            viewBox="0 0 \(layout.imageWidth) \(layout.imageHeight)" font-family="\(SVGCanvas.fontFamily)">
            <rect width="100%" height="100%" fill="#ffffff"/>
            \(body)</svg>

            """
        return WeightPicture(svg: svg, width: layout.imageWidth, height: layout.imageHeight)
    }

    /// The input shapes of the data sets netrun knows, recognised by input count alone so a stored run's
    /// weights can be pictured without its config; other sizes are not images we can lay out.
    public static func imageShape(inputs: Int) -> (height: Int, width: Int, channels: Int, channelMajor: Bool)? {
        switch inputs {
        case 64: return (8, 8, 1, false)  // scikit-learn's 8×8 digits
        case 784: return (28, 28, 1, false)  // MNIST
        case 3072: return (32, 32, 3, true)  // CIFAR-10: 1024 red, 1024 green, 1024 blue
        default: return nil
        }
    }

    /// Maps one class's weights to bytes. Non-finite weights (a diverged run) are left out of the range
    /// and drawn mid grey, so one NaN does not blank the whole tile.
    static func normalised(_ vector: [Float]) -> [UInt8] {
        var lo = Float.infinity, hi = -Float.infinity
        for v in vector where v.isFinite {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        guard lo < hi else { return [UInt8](repeating: 128, count: vector.count) }
        let span = hi - lo
        return vector.map { v in
            guard v.isFinite else { return 128 }
            return UInt8(max(0, min(255, ((v - lo) / span * 255).rounded())))
        }
    }

    /// One tile as a PNG already enlarged `scale` times: librsvg smooths images it has to stretch, so
    /// the enlarging is done here, where each weight becomes an exact square.
    static func tilePNG(_ grey: [UInt8], height: Int, width: Int, channels: Int, channelMajor: Bool,
                        scale: Int) throws -> [UInt8] {
        let plane = height * width
        func word(_ i: Int) -> UInt32 {
            let (r, g, b) = channels == 1 ? (grey[i], grey[i], grey[i])
                : channelMajor ? (grey[i], grey[plane + i], grey[2 * plane + i])
                : (grey[3 * i], grey[3 * i + 1], grey[3 * i + 2])
            return UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
        }
        var words = [UInt32]()
        words.reserveCapacity(plane * scale * scale)
        for y in 0..<height {
            var row = [UInt32]()
            row.reserveCapacity(width * scale)
            for x in 0..<width { row += repeatElement(word(y * width + x), count: scale) }
            for _ in 0..<scale { words += row }
        }
        let image = try CairoImage(width: width * scale, height: height * scale)
        image.setPixels(words)
        return try image.png()
    }

    /// A label as drawn: its text (cut short with "…" only when even the smallest size is too wide) and
    /// its font size in pixels.
    struct Label: Equatable {
        let text: String
        let size: Double
    }

    /// Where everything goes; kept separate so tests can find tiles and labels without repeating the
    /// arithmetic. Every column is as wide as its widest label (within limits) and labels are fitted
    /// into their column, so neighbouring labels never overlap.
    struct Layout {
        let tileWidth: Int
        let tileHeight: Int
        let columns: Int
        let rows: Int
        /// Tiles are centred in columns this wide: the tile, or the widest label if wider.
        let columnWidth: Int
        let gap: Int
        /// The labels' font size before fitting: it grows with `scale`, six pixels per unit of scale
        /// (24 px for a 32-wide image at scale 4, capitals about 17 px tall) but no more than a quarter
        /// of a tile's width, so small images' labels stay in proportion; never below 10 px.
        let fontSize: Double
        let labels: [Label]

        init(labels names: [String], height: Int, width: Int, scale: Int) {
            tileWidth = width * scale
            tileHeight = height * scale
            // Ten classes (MNIST, CIFAR-10) make two rows of five; more tiles (hidden units) a square.
            let count = names.count
            columns = count <= 10 ? min(count, 5) : Int(Double(count).squareRoot().rounded(.up))
            rows = columns == 0 ? 0 : (count + columns - 1) / columns
            let fontSize = max(10, min(6 * Double(scale), Double(tileWidth) / 4))
            self.fontSize = fontSize
            // A label may widen its column up to eight ems or one and a half tiles; longer ones shrink.
            let widest = names.map { TextWidth.estimate($0, size: fontSize) }.max() ?? 0
            let room = min(widest, max(8 * fontSize, 1.5 * Double(tileWidth)))
            columnWidth = max(tileWidth, Int(room.rounded(.up)))
            gap = max(10, Int(fontSize / 2))
            let columnWidth = Double(self.columnWidth)
            self.labels = names.map { Self.fit($0, size: fontSize, into: columnWidth) }
        }

        /// `name` at `size` if it fits in `room`; else smaller, down to three quarters of `size`; else at
        /// that size with as many characters as fit, then "…".
        static func fit(_ name: String, size: Double, into room: Double) -> Label {
            let natural = TextWidth.estimate(name, size: size)
            if natural <= room { return Label(text: name, size: size) }
            let smallest = 0.75 * size
            if size * room / natural >= smallest { return Label(text: name, size: size * room / natural) }
            var text = Substring(name)
            while !text.isEmpty && TextWidth.estimate(text + "…", size: smallest) > room { text.removeLast() }
            return Label(text: text + "…", size: smallest)
        }

        /// One line of text at `fontSize` with room for descenders.
        var labelHeight: Int { Int((1.25 * fontSize).rounded(.up)) }
        var cellHeight: Int { tileHeight + WeightImages.labelGap + labelHeight }

        var imageWidth: Int {
            2 * WeightImages.margin + columns * columnWidth + max(columns - 1, 0) * gap
        }

        var imageHeight: Int {
            2 * WeightImages.margin + rows * cellHeight + max(rows - 1, 0) * gap
        }

        /// The left edge of the column holding tile `index`, and the top of its row.
        func cellOrigin(_ index: Int) -> (x: Int, y: Int) {
            let column = index % columns, row = index / columns
            return (WeightImages.margin + column * (columnWidth + gap), WeightImages.margin + row * (cellHeight + gap))
        }

        /// Whole pixels, so the embedded tile lands pixel for pixel on the PNG.
        func tileOrigin(_ index: Int) -> (x: Int, y: Int) {
            let cell = cellOrigin(index)
            return (cell.x + (columnWidth - tileWidth) / 2, cell.y)
        }

        /// The middle of the label's line, under the middle of the tile.
        func labelCentre(_ index: Int) -> (x: Double, y: Double) {
            let cell = cellOrigin(index)
            return (Double(cell.x) + Double(columnWidth) / 2,
                    Double(cell.y + tileHeight + WeightImages.labelGap) + Double(labelHeight) / 2)
        }
    }
}

/// A grid of weight pictures: the SVG document and its size in pixels.
public struct WeightPicture: Sendable {
    public let svg: String
    public let width: Int
    public let height: Int

    /// The SVG rendered by librsvg, one PNG pixel per SVG pixel.
    public func png() throws -> [UInt8] {
        try SVGRenderer.png(svg)
    }
}
