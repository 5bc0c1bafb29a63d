/// Pictures of a linear classifier's (or a first layer's) weights, one tile per class, the way cs231n
/// shows them: for image inputs each class's weight vector is itself an image, a "template" the class
/// matches against, and seeing the templates is the quickest check that training learned something.
public enum WeightImages {
    /// Tiles per grid row; five keeps ten classes (MNIST, CIFAR-10) in a compact two-row picture.
    static let maxColumns = 5
    /// White space around the whole grid.
    static let margin = 10
    /// White space between neighbouring cells, horizontally and vertically.
    static let gap = 10
    /// Space between a tile and its label.
    static let labelGap = 4

    /// Draws one tile per row of `weights`, labelled from `labels` (a class's index when its label is
    /// missing), on a white background.
    ///
    /// Every class is scaled to 0…255 on its own (its minimum → 0, maximum → 255, a constant vector →
    /// mid grey): classes' weights differ in magnitude, and a shared scale would leave some tiles flat.
    /// `channelMajor` says how the vector orders pixels: all of channel 0, then 1, then 2 (CIFAR-10's
    /// file layout), or interleaved RGBRGB….
    public static func grid(weights: [[Float]], labels: [String], height: Int, width: Int, channels: Int,
                            channelMajor: Bool, scale: Int = 4) -> RGBImage {
        precondition(height > 0 && width > 0, "image shape must be positive (got \(height)×\(width))")
        precondition(channels == 1 || channels == 3, "channels must be 1 or 3 (got \(channels))")
        precondition(scale > 0, "scale must be positive")
        let layout = Layout(classes: weights.count, height: height, width: width, scale: scale)
        var image = RGBImage(width: layout.imageWidth, height: layout.imageHeight, fill: .white)

        for (index, vector) in weights.enumerated() {
            precondition(vector.count == height * width * channels,
                         "class \(index) has \(vector.count) weights, expected \(height)×\(width)×\(channels)")
            let origin = layout.tileOrigin(index)
            let grey = normalised(vector)
            for y in 0..<height {
                for x in 0..<width {
                    let colour: RGBColour
                    if channels == 1 {
                        colour = RGBColour(gray: grey[y * width + x])
                    } else if channelMajor {
                        let plane = height * width, i = y * width + x
                        colour = RGBColour(r: grey[i], g: grey[plane + i], b: grey[2 * plane + i])
                    } else {
                        let i = (y * width + x) * 3
                        colour = RGBColour(r: grey[i], g: grey[i + 1], b: grey[i + 2])
                    }
                    image.fillRect(x: origin.x + x * scale, y: origin.y + y * scale,
                                   width: scale, height: scale, colour: colour)
                }
            }
            let label = index < labels.count ? labels[index] : String(index)
            drawLabel(label, in: &image, layout: layout, index: index)
        }
        return image
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

    /// Centred under the tile at the larger font size when it fits, else the smaller; a label still too
    /// long is cut to the characters that fit in the tile plus the gaps beside it, so it never runs into
    /// a neighbour's label.
    static func drawLabel(_ label: String, in image: inout RGBImage, layout: Layout, index: Int) {
        let origin = layout.tileOrigin(index)
        let room = layout.tileWidth + gap
        var fontScale = layout.labelScale
        if BitmapFont.textWidth(label, scale: fontScale) > layout.tileWidth { fontScale = 1 }
        var text = label
        while !text.isEmpty && BitmapFont.textWidth(text, scale: fontScale) > room { text.removeLast() }
        let textWidth = BitmapFont.textWidth(text, scale: fontScale)
        let x = origin.x + (layout.tileWidth - textWidth) / 2
        let y = origin.y + layout.tileHeight + labelGap
        BitmapFont.drawText(text, into: &image, x: x, y: y, scale: fontScale, colour: .black)
    }

    /// Where everything goes; kept separate so tests can find tiles and labels without repeating the
    /// arithmetic.
    struct Layout {
        let tileWidth: Int
        let tileHeight: Int
        let columns: Int
        let rows: Int
        /// Labels are drawn at font scale 2 under tiles big enough to show it, so they stay legible
        /// next to 4× enlarged tiles.
        let labelScale: Int

        init(classes: Int, height: Int, width: Int, scale: Int) {
            tileWidth = width * scale
            tileHeight = height * scale
            columns = min(WeightImages.maxColumns, max(classes, 0))
            rows = columns == 0 ? 0 : (classes + columns - 1) / columns
            labelScale = scale >= 4 ? 2 : 1
        }

        var labelHeight: Int { BitmapFont.textHeight(scale: labelScale) }
        var cellHeight: Int { tileHeight + WeightImages.labelGap + labelHeight }

        var imageWidth: Int {
            2 * WeightImages.margin + columns * tileWidth + max(columns - 1, 0) * WeightImages.gap
        }

        var imageHeight: Int {
            2 * WeightImages.margin + rows * cellHeight + max(rows - 1, 0) * WeightImages.gap
        }

        func tileOrigin(_ index: Int) -> (x: Int, y: Int) {
            let column = index % columns, row = index / columns
            return (WeightImages.margin + column * (tileWidth + WeightImages.gap),
                    WeightImages.margin + row * (cellHeight + WeightImages.gap))
        }
    }
}
