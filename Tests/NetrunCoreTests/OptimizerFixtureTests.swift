import Foundation
import NetrunCore
import XCTest

/// Every optimizer against PyTorch's: Tests/Fixtures/optimizers/optimizer_fixture.json (made by
/// make_optimizer_fixture.py with torch.optim in float64) holds the parameters after each of 10
/// steps on the gradient of a quartic, at a rate that changes every step.
final class OptimizerFixtureTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Options: Decodable {
            var momentum: Double?
            var dampening: Double?
            var nesterov: Bool?
            var weightDecay: Double?
            var betas: [Double]?
            var eps: Double?
            var amsgrad: Bool?
        }

        struct Case: Decodable {
            var name: String
            var optimizer: String
            var options: Options
            var learningRates: [Double]
            var parameters: [[Double]]
        }

        var initial: [Double]
        var a: [Double]
        var c: [Double]
        var k: Double
        var cases: [Case]
    }

    private func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/optimizers/optimizer_fixture.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// The settings PyTorch's keyword arguments describe.
    private func settings(_ test: Fixture.Case) throws -> OptimizerChoice {
        let o = test.options
        switch test.optimizer {
        case "sgd":
            return OptimizerChoice(SGDSettings(momentum: o.momentum ?? 0, dampening: o.dampening ?? 0,
                                               nesterov: o.nesterov ?? false, weightDecay: o.weightDecay ?? 0))
        case "adam", "adamw":
            let betas = o.betas ?? [0.9, 0.999]
            return OptimizerChoice(AdamSettings(beta1: betas[0], beta2: betas[1], eps: o.eps ?? 1e-8,
                                                weightDecay: o.weightDecay, amsgrad: o.amsgrad ?? false,
                                                decoupled: test.optimizer == "adamw"))
        default:
            throw XCTSkip("no optimizer \(test.optimizer) in netrun")
        }
    }

    /// Replays `test` in `Scalar`: the largest deviation from PyTorch's parameters over every
    /// step, relative for values above 1 and absolute below, with where it is.
    private func deviation<Scalar: NetScalar>(_ test: Fixture.Case, _ fixture: Fixture, as _: Scalar.Type) throws
        -> (value: Double, at: String)
    {
        let n = fixture.initial.count
        let w = Parameter<Scalar>(name: "weight", rows: 1, cols: n, isRegularized: true)
        w.value.copy(from: Matrix(rows: 1, cols: n, values: fixture.initial.map { Scalar($0) }))
        let a = fixture.a.map { Scalar($0) }, c = fixture.c.map { Scalar($0) }, k = Scalar(fixture.k)
        let optimizer = try settings(test).makeOptimizer(Scalar.self)
        var worst = (value: 0.0, at: "")
        for (step, (rate, expected)) in zip(test.learningRates, test.parameters).enumerated() {
            for i in 0..<n {
                let x = w.value.storage[i]
                w.gradient.storage[i] = a[i] * (x - c[i]) + k * x * x * x  // of Σ ½a(w − c)² + ¼k·w⁴
            }
            optimizer.step([w], learningRate: rate)
            for i in 0..<n {
                let actual = Double(w.value.storage[i])
                let off = abs(actual - expected[i]) / max(abs(expected[i]), 1)
                if off > worst.value || worst.at.isEmpty {
                    worst = (off, "\(test.name) \(Scalar.dtypeName): step \(step + 1), w[\(i)] is \(actual), PyTorch's \(expected[i])")
                }
            }
        }
        return worst
    }

    func testEveryOptimizerMatchesPyTorchInFloat64() throws {
        let fixture = try fixture()
        XCTAssertEqual(fixture.cases.count, 12)
        for test in fixture.cases {
            let worst = try deviation(test, fixture, as: Double.self)
            XCTAssertLessThanOrEqual(worst.value, 1e-12, worst.at)
        }
    }

    func testEveryOptimizerMatchesPyTorchInFloat32() throws {
        let fixture = try fixture()
        for test in fixture.cases {
            let worst = try deviation(test, fixture, as: Float.self)
            XCTAssertLessThanOrEqual(worst.value, 1e-5, worst.at)
        }
    }

    func testTheFixtureTellsOptimizersApart() throws {
        // A wrong variant fails the comparison by far: plain momentum where PyTorch used Nesterov's,
        // L2 in the gradient where AdamW decouples the decay, and no running maximum for amsgrad.
        let fixture = try fixture()
        var plain = fixture.cases.first { $0.name == "sgd_nesterov" }!
        plain.options.nesterov = false
        XCTAssertGreaterThan(try deviation(plain, fixture, as: Double.self).value, 1e-3)
        var coupled = fixture.cases.first { $0.name == "adamw_amsgrad_weight_decay" }!
        coupled.optimizer = "adam"
        XCTAssertGreaterThan(try deviation(coupled, fixture, as: Double.self).value, 1e-4)
        for name in ["adam_amsgrad", "adamw_amsgrad_weight_decay"] {
            var withoutMaximum = fixture.cases.first { $0.name == name }!
            withoutMaximum.options.amsgrad = false
            XCTAssertGreaterThan(try deviation(withoutMaximum, fixture, as: Double.self).value, 1e-4, name)
        }
    }
}
