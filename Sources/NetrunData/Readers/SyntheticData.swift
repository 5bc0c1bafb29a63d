import Foundation
import NetrunCore

/// Seeded toy data sets, rows grouped by class; the same generator state gives the same samples.
public enum SyntheticData {
    /// XOR: points uniform in [−1, 1)², class 1 where the coordinates' signs differ.
    public static func xor(count: Int, generator: inout SplitMix64) -> LabeledSamples {
        precondition(count >= 0, "xor needs a count ≥ 0, got \(count)")
        var features: [Float] = [], labels: [Int] = []
        features.reserveCapacity(2 * count)
        labels.reserveCapacity(count)
        for _ in 0..<count {
            let x = Float(2 * generator.nextUnit() - 1), y = Float(2 * generator.nextUnit() - 1)
            features.append(x)
            features.append(y)
            labels.append((x > 0) != (y > 0) ? 1 : 0)
        }
        return LabeledSamples(features: features, rows: count, width: 2, labels: labels)
    }

    /// cs231n's spiral: `classes` arms of `perClass` points, radius 0…1, angle spread with N(0, noise²).
    public static func spiral(classes: Int, perClass: Int, noise: Double = 0.2,
                              generator: inout SplitMix64) -> LabeledSamples {
        precondition(classes >= 0 && perClass >= 0, "spiral needs counts ≥ 0, got \(classes) classes of \(perClass)")
        var features: [Float] = [], labels: [Int] = []
        features.reserveCapacity(2 * classes * perClass)
        labels.reserveCapacity(classes * perClass)
        for k in 0..<classes {
            for i in 0..<perClass {
                let radius = perClass > 1 ? Double(i) / Double(perClass - 1) : 0
                // Each arm turns through 4 radians, starting where the previous one started plus 4.
                let angle = Double(k) * 4 + radius * 4 + generator.nextNormal() * noise
                features.append(Float(radius * sin(angle)))
                features.append(Float(radius * cos(angle)))
                labels.append(k)
            }
        }
        return LabeledSamples(features: features, rows: labels.count, width: 2, labels: labels)
    }

    /// Gaussian blobs: one centre per class uniform in [−10, 10)^D, points N(centre, spread²·I).
    public static func blobs(classes: Int, perClass: Int, dimensions: Int, spread: Double = 1,
                             generator: inout SplitMix64) -> LabeledSamples {
        precondition(classes >= 0 && perClass >= 0 && dimensions >= 0,
                     "blobs needs counts ≥ 0, got \(classes) classes of \(perClass) in \(dimensions) dimensions")
        let centres = (0..<classes).map { _ in (0..<dimensions).map { _ in 20 * generator.nextUnit() - 10 } }
        var features: [Float] = [], labels: [Int] = []
        features.reserveCapacity(classes * perClass * dimensions)
        labels.reserveCapacity(classes * perClass)
        for (k, centre) in centres.enumerated() {
            for _ in 0..<perClass {
                for c in centre { features.append(Float(c + generator.nextNormal() * spread)) }
                labels.append(k)
            }
        }
        return LabeledSamples(features: features, rows: labels.count, width: dimensions, labels: labels)
    }
}
