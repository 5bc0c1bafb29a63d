import NetrunConfig
import NetrunCore
import XCTest

/// `sweep.random`: what each distribution draws, that a trial's draw depends on its index alone,
/// how random keys lay out over a grid, and the located errors.
final class RandomSearchTests: XCTestCase {
    private let base = """
        seed: 7
        data:
          inputs: [[0, 0], [0, 1], [1, 0], [1, 1]]
          targets: [0, 1, 1, 0]
          split: {val: 1}
        model:
          layers: [{dense: {units: 4, activation: tanh}}, {dense: 2}]
        loss: softmax_cross_entropy
        training: {learning_rate: 0.1, epochs: 5}

        """

    private func sweep(_ block: String) throws -> SweepConfig {
        let config = try ConfigLoader.decode(text: base + block, path: "s.yaml")
        return try XCTUnwrap(config.sweep)
    }

    private func error(_ block: String) -> String {
        do { _ = try sweep(block); return "no error" } catch { return "\(error)" }
    }

    /// One key's draws over `count` trials, as scalars.
    private func draws(_ distribution: String, count: Int = 2000) throws -> [YAMLScalar.Value] {
        let config = try sweep("sweep:\n  random:\n    trials: \(count)\n    training.reg: \(distribution)\n")
        return (0..<count).map { trial in
            guard case .scalar(let scalar) = config.values(ofTrial: trial, seed: 7)[0].kind else { return .null }
            return scalar.value
        }
    }

    private func doubles(_ values: [YAMLScalar.Value]) -> [Double] {
        values.compactMap { if case .double(let x) = $0 { return x } else { return nil } }
    }

    func testATrialsDrawDependsOnItsIndexAloneNotOnOrderOrCount() throws {
        let random = try sweep("""
            sweep:
              random:
                trials: 50
                training.learning_rate: {log_uniform: [1e-4, 1e-1]}
                model.layers[0].dense.units: {int_uniform: [2, 64]}

            """)
        func texts(_ trial: Int, seed: UInt64 = 7) -> [String] {
            random.values(ofTrial: trial, seed: seed).map { node in
                if case .scalar(let scalar) = node.kind { return scalar.text } else { return "" }
            }
        }
        let forward = (0..<50).map { texts($0) }
        let backward = (0..<50).reversed().map { texts($0) }.reversed()
        XCTAssertEqual(forward, Array(backward), "claiming order does not matter")
        XCTAssertEqual(stride(from: 1, to: 50, by: 2).map { texts($0) }, stride(from: 1, to: 50, by: 2).map { forward[$0] },
                       "a shard's trials are the one-machine sweep's")
        let again = try sweep("sweep:\n  random:\n    trials: 3\n    model.layers[0].dense.units: {int_uniform: [2, 64]}\n"
                              + "    training.learning_rate: {log_uniform: [1e-4, 1e-1]}\n")
        XCTAssertEqual(again.values(ofTrial: 1, seed: 7).count, 2)
        XCTAssertEqual(Set(again.paths), Set(random.paths))
        XCTAssertEqual(texts(1).reversed(), (again.values(ofTrial: 1, seed: 7).map { node -> String in
            if case .scalar(let scalar) = node.kind { return scalar.text } else { return "" }
        }), "each key draws from its own stream: fewer trials or another key order changes no value")
        XCTAssertEqual(Set(forward.map { $0[0] }).count, 50, "fifty distinct draws")
        XCTAssertNotEqual(texts(0, seed: 8), texts(0), "another seed, other trials")
    }

    func testUniformDrawsStayWithinTheirBoundsAndSpreadOverThem() throws {
        let values = doubles(try draws("{uniform: [-0.5, 2.5]}"))
        XCTAssertEqual(values.count, 2000)
        XCTAssertTrue(values.allSatisfy { (-0.5...2.5).contains($0) })
        XCTAssertLessThan(values.min()!, -0.49)
        XCTAssertGreaterThan(values.max()!, 2.49)
        XCTAssertEqual(values.reduce(0, +) / 2000, 1, accuracy: 0.1)
    }

    func testLogUniformDrawsAreEvenOverEachDecade() throws {
        let values = doubles(try draws("{log_uniform: [1e-4, 1e-1]}", count: 3000))
        XCTAssertEqual(values.count, 3000)
        XCTAssertTrue(values.allSatisfy { (1e-4...1e-1).contains($0) })
        for decade in [(1e-4, 1e-3), (1e-3, 1e-2), (1e-2, 1e-1)] {
            let share = Double(values.filter { $0 >= decade.0 && $0 < decade.1 }.count) / 3000
            XCTAssertEqual(share, 1.0 / 3, accuracy: 0.04, "decade \(decade)")
        }
    }

    func testIntUniformDrawsIntegersWithBothEndsIncluded() throws {
        let values = try draws("{int_uniform: [-1, 3]}", count: 500)
        let ints = values.compactMap { if case .int(let n) = $0 { return n } else { return nil } }
        XCTAssertEqual(ints.count, 500, "integers, so an integer field accepts them")
        XCTAssertEqual(Set(ints), [-1, 0, 1, 2, 3])
        for n in -1...3 { XCTAssertEqual(Double(ints.filter { $0 == n }.count) / 500, 0.2, accuracy: 0.06) }
    }

    func testChoiceDrawsEachOfItsValuesAsWritten() throws {
        let values = try draws("{choice: [0, 1e-3, none]}", count: 300)
        XCTAssertEqual(Set(values.map { "\($0)" }), ["int(0)", "double(0.001)", "string(\"none\")"])
    }

    func testRandomKeysAreDrawnPerGridCellWithTheGridSlowest() throws {
        let mixed = try sweep("""
            sweep:
              grid:
                training.epochs: [1, 2]
                training.reg: [0, 0.1, 0.2]
              random:
                trials: 4
                training.learning_rate: {uniform: [0.01, 0.5]}

            """)
        XCTAssertEqual(mixed.trialCount, 24, "2 × 3 cells × 4 draws")
        XCTAssertEqual(mixed.paths, ["training.epochs", "training.reg", "training.learning_rate"])
        XCTAssertEqual((0..<24).map { mixed.positions(ofTrial: $0) },
                       (0..<6).flatMap { cell in Array(repeating: [cell / 3, cell % 3], count: 4) },
                       "trial k is grid cell k / 4, its draw k % 4")
        let rates = (0..<24).map { trial -> Double in
            guard case .scalar(let scalar) = mixed.values(ofTrial: trial, seed: 7)[2].kind, case .double(let x) = scalar.value else {
                return .nan
            }
            return x
        }
        XCTAssertEqual(Set(rates).count, 24, "every trial its own draw")
        let decoded = try ConfigLoader.decode(text: base, path: "s.yaml", overrides: try mixed.overrides(forTrial: 13, seed: 7))
        XCTAssertEqual(decoded.training.epochs, 2)
        XCTAssertEqual(decoded.training.reg, 0)
        XCTAssertEqual(decoded.training.learningRate.bitPattern, rates[13].bitPattern)
    }

    func testADrawnValueReadsBackBitForBitFromTheStoredOverrideText() throws {
        let random = try sweep("sweep:\n  random:\n    trials: 500\n    training.learning_rate: {log_uniform: [1e-7, 10]}\n"
                               + "    training.reg: {uniform: [0, 1]}\n")
        for trial in 0..<500 {
            let overrides = try random.overrides(forTrial: trial, seed: 7)
            let read = try ConfigOverride.parse(text: ConfigOverride.text(overrides), source: "stored")
            for (written, back) in zip(overrides, read) {
                guard case .scalar(let a) = written.value.kind, case .double(let x) = a.value,
                      case .scalar(let b) = back.value.kind, case .double(let y) = b.value else {
                    return XCTFail("trial \(trial): not a double")
                }
                XCTAssertEqual(x.bitPattern, y.bitPattern, "trial \(trial) \(written.path): \(a.text)")
                XCTAssertEqual(a.text, "\(x)", "Swift's shortest round-trip text")
            }
        }
    }

    func testRandomSweepErrorsAreLocatedAndSuggest() {
        let head = "sweep:\n  random:\n    trials: 5\n"
        XCTAssertEqual(error(head + "    training.learning_rate: {loguniform: [1e-4, 1e-1]}\n"),
                       "s.yaml:13:30: sweep.random.training.learning_rate: unknown distribution 'loguniform' "
                       + "(did you mean 'log_uniform'?); expected one of: uniform, log_uniform, int_uniform, choice")
        XCTAssertEqual(error(head + "    training.learning_rate: {log_uniform: [0, 1e-1]}\n"),
                       "s.yaml:13:43: sweep.random.training.learning_rate.log_uniform: log_uniform needs 0 < low < high, got [0.0, 0.1]")
        XCTAssertEqual(error(head + "    training.reg: {uniform: [1, 0.5]}\n"),
                       "s.yaml:13:29: sweep.random.training.reg.uniform: expected finite [low, high] with low < high, got [1.0, 0.5]")
        XCTAssertEqual(error(head + "    training.epochs: {int_uniform: [1, 2.5]}\n"),
                       "s.yaml:13:40: sweep.random.training.epochs.int_uniform[1]: expected an integer, got 2.5")
        XCTAssertEqual(error(head + "    training.reg: {uniform: [1]}\n"),
                       "s.yaml:13:29: sweep.random.training.reg.uniform: expected [low, high], got 1 values")
        XCTAssertEqual(error(head + "    training.reg: [1, 2]\n"),
                       "s.yaml:13:19: sweep.random.training.reg: expected one distribution, e.g. {log_uniform: [1e-4, 1e-1]}; "
                       + "one of: uniform, log_uniform, int_uniform, choice")
        XCTAssertEqual(error("sweep:\n  random:\n    trials: 0\n    training.reg: {uniform: [0, 1]}\n"),
                       "s.yaml:12:13: sweep.random.trials: must be at least 1, got 0")
        XCTAssertEqual(error("sweep:\n  random:\n    trails: 3\n    training.reg: {uniform: [0, 1]}\n"),
                       "s.yaml:12:5: sweep.random: unknown key 'trails' (did you mean 'trials'?)")
        XCTAssertEqual(error("sweep:\n  grdi: {training.reg: [0, 1]}\n  random: {trials: 3, training.lr: {uniform: [0, 1]}}\n"),
                       "s.yaml:11:3: sweep: unknown key 'grdi' (did you mean 'grid'?)")
        XCTAssertEqual(error("sweep:\n  random: {trials: 3}\n"),
                       "s.yaml:11:11: sweep.random: expected key paths to sample beside trials, "
                       + "e.g. training.learning_rate: {log_uniform: [1e-4, 1e-1]}")
        XCTAssertEqual(error("sweep:\n  grid: {training.reg: [0, 1]}\n  random:\n    trials: 2\n    training.reg: {uniform: [0, 1]}\n"),
                       "s.yaml:14:5: sweep.random.training.reg: 'training.reg' is in sweep.grid too; sweep a key one way")
        XCTAssertEqual(error("sweep:\n  random:\n    trials: 2\n    name: {choice: [a, b]}\n"),
                       "s.yaml:13:5: sweep.random.name: 'name' cannot be swept")
        XCTAssertEqual(error("sweep:\n  random:\n    trials: 2\n    training.reg: {choice: []}\n"),
                       "s.yaml:13:28: sweep.random.training.reg.choice: expected a non-empty list of values to choose from")
    }
}
