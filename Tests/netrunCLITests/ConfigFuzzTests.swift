import Foundation
import NetrunConfig
import NetrunCore
import NetrunData
import NetrunStore
import XCTest

/// Mutated shipped configs never crash or hang netrun: each is refused with an error naming its
/// file (and line), writing nothing, or trains; the database stays whole. Fixed seed; more cases
/// with `NETRUN_FUZZ_CASES` (scripts/fuzz.sh).
final class ConfigFuzzTests: XCTestCase {
    /// Failure classes that other branches of issue 12 fix: their cases are skipped until those
    /// are merged, then this list is emptied. Each names the branch and a minimal reproducer.
    static let knownUntilMerged: [KnownFailure] = [
    ]

    func testMutatedShippedConfigsAreRefusedWithTheirFileOrTrainInProcess() throws {
        let folder = try makeFuzzFolder("config-fuzz")
        let data = try FuzzDataFiles(in: folder)
        let bases = try ConfigMutator.bases(repository: CLIRunner.repository, data: data)
        let database = folder.appendingPathComponent("fuzz.sqlite").path
        let fuzzer = InProcessFuzzer(store: try RunStore(path: database))
        var findings: [FuzzFinding] = [], skipped: [String: Int] = [:]
        for number in 0..<FuzzBudget.cases {
            let fuzzCase = try makeCase(number, bases: bases, data: data, in: folder)
            if let known = Self.knownClass(of: fuzzCase) { skipped[known, default: 0] += 1; continue }
            if let problem = fuzzer.run(fuzzCase) { findings.append(FuzzFinding(fuzzCase: fuzzCase, problem: problem)) }
        }
        if let problem = BinaryFuzzer.checkDatabase(database, refused: false) {
            XCTFail("the in-process fuzz database: \(problem)")
        }
        report(findings, of: FuzzBudget.cases, skipped: skipped, outcomes: fuzzer.outcomes)
    }

    func testMutatedShippedConfigsExitCleanlyThroughTheBinary() throws {
        let folder = try makeFuzzFolder("config-fuzz-cli")
        let data = try FuzzDataFiles(in: folder)
        let bases = try ConfigMutator.bases(repository: CLIRunner.repository, data: data)
        var cases: [FuzzCase] = [], skipped: [String: Int] = [:]
        // Numbered apart from the in-process cases, so the two tests try different inputs.
        for number in 1_000_000..<(1_000_000 + FuzzBudget.binaryCases) {
            let fuzzCase = try makeCase(number, bases: bases, data: data, in: folder)
            if let known = Self.knownClass(of: fuzzCase) { skipped[known, default: 0] += 1; continue }
            cases.append(fuzzCase)
        }
        let (findings, outcomes) = BinaryFuzzer.run(cases, in: folder)
        report(findings, of: FuzzBudget.binaryCases, skipped: skipped, outcomes: outcomes)
    }

    /// The checks can fail: a process that dies by a signal, an error naming a file the case does
    /// not have, a config error without a line and a CSV error without a line are findings.
    func testFuzzersReportADeathBySignalAndErrorsThatMissTheirPlace() throws {
        let folder = try makeFuzzFolder("config-fuzz-self")
        let path = folder.appendingPathComponent("xor.yaml").path
        try Data(contentsOf: CLIRunner.repository.appendingPathComponent("configs/xor-softmax.yaml")).write(to: URL(fileURLWithPath: path))
        let fuzzCase = FuzzCase(number: 0, configPath: path, dataPaths: [], mutations: ["none"])
        let (findings, outcomes) = BinaryFuzzer.run([fuzzCase], in: folder, stopAt: "3:KILL")
        XCTAssertEqual(findings.map(\.problem), ["killed by signal 9: "])
        XCTAssertEqual(outcomes, ["no exit": 1])

        let elsewhere = ConfigError("bad", at: SourceLocation(file: "/elsewhere.yaml", line: 1, column: 1))
        XCTAssertEqual(InProcessFuzzer.checkNamesFile(elsewhere, fuzzCase), "ConfigError names /elsewhere.yaml: /elsewhere.yaml:1:1: bad")
        XCTAssertNil(InProcessFuzzer.checkNamesFile(ConfigError("bad", at: SourceLocation(file: path, line: 2, column: 1)), fuzzCase))
        XCTAssertEqual(InProcessFuzzer.checkNamesFile(ConfigError("\(path): bad", at: nil), fuzzCase), "ConfigError has no line: \(path): bad")
        let csv = FuzzCase(number: 1, configPath: path, dataPaths: ["/data.csv"], mutations: ["none"])
        XCTAssertEqual(InProcessFuzzer.checkNamesFile(DataError("empty label", file: "/data.csv"), csv),
                       "CSV error without a line: /data.csv: empty label")
        XCTAssertNil(InProcessFuzzer.checkNamesFile(DataError("empty label", file: "/data.csv", row: 3, column: 5), csv))
    }

    /// Case `number`: a mutated shipped config in its own file, drawn from its own stream so any
    /// case is replayed alone from the seed and its number.
    private func makeCase(_ number: Int, bases: [(name: String, text: String)], data: FuzzDataFiles, in folder: URL) throws
        -> FuzzCase
    {
        var random = FuzzRandom(seed: SplitMix64.derive(FuzzBudget.seed, UInt64(number)))
        let base = random.pick(bases)
        let (bytes, applied) = ConfigMutator.mutate(base.text, random: &random)
        let path = folder.appendingPathComponent("\(base.name)-\(number).yaml").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return FuzzCase(number: number, configPath: path, dataPaths: data.paths, mutations: [base.name] + applied,
                        command: base.text.contains("\nsweep:") && random.chance(0.5) ? "sweep" : "train")
    }

    private static func knownClass(of fuzzCase: FuzzCase) -> String? {
        knownUntilMerged.first { $0.matches(fuzzCase.mutations) }?.name
    }
}
