import Foundation
import NetrunCore
import NetrunStore
import XCTest

/// Damaged data files (CSV, IDX, gzip, CIFAR-10) never crash or hang netrun: each is refused
/// with an error naming the file (and line, for CSV), writing nothing, or trains.
final class DataFuzzTests: XCTestCase {
    /// Failure classes that other branches of issue 12 fix: their cases are skipped until those
    /// are merged, then this list is emptied. Each names the branch and a minimal reproducer.
    static let knownUntilMerged: [KnownFailure] = [
    ]

    func testDamagedDataFilesAreRefusedWithTheirFileOrTrainInProcess() throws {
        let folder = try makeFuzzFolder("data-fuzz")
        let database = folder.appendingPathComponent("fuzz.sqlite").path
        let fuzzer = InProcessFuzzer(store: try RunStore(path: database))
        var findings: [FuzzFinding] = [], skipped: [String: Int] = [:]
        for number in 0..<FuzzBudget.cases {
            let fuzzCase = try makeCase(number, in: folder)
            if let known = Self.knownClass(of: fuzzCase) { skipped[known, default: 0] += 1; continue }
            if let problem = fuzzer.run(fuzzCase) { findings.append(FuzzFinding(fuzzCase: fuzzCase, problem: problem)) }
        }
        if let problem = BinaryFuzzer.checkDatabase(database, refused: false) {
            XCTFail("the in-process fuzz database: \(problem)")
        }
        report(findings, of: FuzzBudget.cases, skipped: skipped, outcomes: fuzzer.outcomes)
    }

    func testDamagedDataFilesExitCleanlyThroughTheBinary() throws {
        let folder = try makeFuzzFolder("data-fuzz-cli")
        var cases: [FuzzCase] = [], skipped: [String: Int] = [:]
        for number in 1_000_000..<(1_000_000 + FuzzBudget.binaryCases) {
            let fuzzCase = try makeCase(number, in: folder)
            if let known = Self.knownClass(of: fuzzCase) { skipped[known, default: 0] += 1; continue }
            cases.append(fuzzCase)
        }
        let (findings, outcomes) = BinaryFuzzer.run(cases, in: folder)
        report(findings, of: FuzzBudget.binaryCases, skipped: skipped, outcomes: outcomes)
    }

    /// Case `number`: damaged files of one format in their own folder, with a config reading them.
    private func makeCase(_ number: Int, in folder: URL) throws -> FuzzCase {
        var random = FuzzRandom(seed: SplitMix64.derive(FuzzBudget.seed, UInt64(number)))
        let caseFolder = folder.appendingPathComponent("case-\(number)")
        try FileManager.default.createDirectory(at: caseFolder, withIntermediateDirectories: true)
        let made = DataMutator.make(random.pick(DataMutator.Format.allCases), in: caseFolder.path, random: &random)
        var dataPaths: [String] = []
        for (name, bytes) in made.files {
            let url = caseFolder.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            dataPaths.append(url.path)
        }
        let configPath = caseFolder.appendingPathComponent("config.yaml").path
        try made.config.write(toFile: configPath, atomically: false, encoding: .utf8)
        return FuzzCase(number: number, configPath: configPath, dataPaths: dataPaths, mutations: made.applied)
    }

    private static func knownClass(of fuzzCase: FuzzCase) -> String? {
        knownUntilMerged.first { $0.matches(fuzzCase.mutations) }?.name
    }
}
