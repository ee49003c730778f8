import Foundation
import SwiftVAE
import XCTest

final class InferenceCommandTests: TemporaryFolderTestCase {

    func run(_ arguments: [String]) -> (Int32, String) {
        var err = ""
        let status = VAECommandLine.run(arguments: arguments, standardOutput: { _ in },
                                        standardError: { err += $0 }, standardErrorIsTerminal: false)
        return (status, err)
    }

    func testEveryCommandOnATrainedCheckpoint() throws {
        var c = try VAERunner(configPath: packageRoot().appendingPathComponent("examples/digits.yaml")).configuration
        c.epochs = 5
        c.iwaeSamples = 0
        c.checkpoint = path("digits.safetensors")
        let runner = try VAERunner(configuration: c)
        _ = try runner.run()
        // Raw (unscaled) digits rows as input: the checkpoint's scaler is applied.
        let raw = try CSVReader.read(packageRoot().appendingPathComponent("Benchmarks/Data/digits.csv").path,
                                     labelColumn: .name("label")).data
        let input = Matrix(rows: 20, columns: 64, scalars: Array(raw.scalars.prefix(20 * 64)))
        try MatrixWriter.write(input, columnNames: (0..<64).map { "p\($0)" }, to: folder.appendingPathComponent("in.csv"))
        let ck = path("digits.safetensors")
        XCTAssertEqual(run(["encode", "--checkpoint", ck, "--input", path("in.csv"), "--output", path("mu.npy")]).0, 0)
        let mu = try NPYReader.read(path("mu.npy"))
        XCTAssertEqual(mu.rows, 20)
        XCTAssertEqual(mu.columns, 8)
        // Same as the library on scaled data.
        let expected = runner.model!.encode(runner.scaler.apply(to: input)).mu
        XCTAssertEqual(mu, expected)
        XCTAssertEqual(run(["encode", "--checkpoint", ck, "--input", path("in.csv"), "--output", path("mulv.csv"),
                            "--with-log-var"]).0, 0)
        XCTAssertEqual(try CSVReader.read(path("mulv.csv")).data.columns, 16)
        XCTAssertEqual(run(["reconstruct", "--checkpoint", ck, "--input", path("in.csv"), "--output", path("rec.npy")]).0, 0)
        let reconstruction = try NPYReader.read(path("rec.npy"))
        XCTAssertEqual(reconstruction.columns, 64)
        XCTAssertTrue(reconstruction.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertEqual(run(["sample", "--checkpoint", ck, "--count", "7", "--seed", "4", "--output", path("s.npy")]).0, 0)
        XCTAssertEqual(try NPYReader.read(path("s.npy")).rows, 7)
        XCTAssertEqual(run(["score", "--checkpoint", ck, "--input", path("in.csv"), "--output", path("score.csv"),
                            "--samples", "3", "--iwae", "30"]).0, 0)
        let score = try CSVReader.read(path("score.csv"))
        XCTAssertEqual(score.columnNames ?? [], ["negative_elbo", "nll_iwae"])
        var elboSum: Float = 0, iwaeSum: Float = 0
        for r in 0..<20 {
            XCTAssertGreaterThan(score.data[r, 0], 0)
            elboSum += score.data[r, 0]
            iwaeSum += score.data[r, 1]
        }
        XCTAssertLessThan(iwaeSum, elboSum)   // on average IWAE is the tighter bound
        // Errors: one line, exit 2, nothing written.
        let cases: [([String], String)] = [
            (["encode", "--input", path("in.csv"), "--output", path("x.npy")], "--checkpoint is required"),
            (["encode", "--checkpoint", path("nope"), "--input", path("in.csv"), "--output", path("x.npy")], "no such file"),
            (["encode", "--checkpoint", path("in.csv"), "--input", path("in.csv"), "--output", path("x.npy")], "header length"),
            (["sample", "--checkpoint", ck, "--output", path("x.npy")], "--count is required"),
            (["sample", "--checkpoint", ck, "--count", "0", "--output", path("x.npy")], "positive integer"),
            (["score", "--checkpoint", ck, "--input", path("mu.npy"), "--output", path("x.npy")], "has 8 columns, the model takes 64"),
            (["reconstruct", "--checkpoint", ck, "--input", path("in.csv"), "--output", path("x.npy"), "--bogus"], "unknown argument '--bogus'"),
            (["encode", "--checkpoint", ck, "--input", path("in.csv"), "--output", "/no/such/dir/x.npy"], "does not exist"),
        ]
        for (arguments, fragment) in cases {
            let (status, err) = run(arguments)
            XCTAssertEqual(status, 2, "\(arguments): \(err)")
            XCTAssertTrue(err.contains(fragment), "\(arguments): \(err)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.npy")))
    }
}
