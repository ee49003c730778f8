import Foundation
import SwiftVAE
import XCTest

final class RunnerTests: TemporaryFolderTestCase {
    func write(_ text: String, _ name: String = "cfg.yaml") throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Runs vae-run in-process; returns (status, stdout, stderr).
    func run(_ arguments: [String]) -> (Int32, String, String) {
        var out = "", err = ""
        let status = VAECommandLine.run(arguments: arguments, standardOutput: { out += $0 },
                                        standardError: { err += $0 }, standardErrorIsTerminal: false)
        return (status, out, err)
    }

    /// The losses README.md documents for `swift run -c release vae-run`, as printed there.
    func testDefaultRunReproducesTheREADMEFigures() throws {
        let readme = try String(contentsOf: packageRoot().appendingPathComponent("README.md"), encoding: .utf8)
        func documented(_ key: String) throws -> Double {
            let pattern = "\"\(key)\" : "
            let line = try XCTUnwrap(readme.components(separatedBy: "\n").first { $0.contains(pattern) },
                                     "README has no \(key)")
            let number = line.components(separatedBy: pattern)[1].trimmingCharacters(in: CharacterSet(charactersIn: ", "))
            return try XCTUnwrap(Double(number))
        }
        let metrics = try VAERunner().run()
        XCTAssertEqual(metrics.finalTotalLoss, try documented("final_total_loss"))
        XCTAssertEqual(metrics.finalReconLoss, try documented("final_recon_loss"))
        XCTAssertEqual(metrics.finalKLLoss, try documented("final_kl_loss"))
        // And again: bit-identical.
        XCTAssertEqual(try VAERunner().run(), metrics)
        // The example file spelling out the default gives the same run.
        let example = try VAERunner(configPath: packageRoot().appendingPathComponent("examples/default.yaml"))
        XCTAssertEqual(example.configuration, .defaults)
    }

    func testOutputIsWrittenAndMetricsKeysAreAtTheTop() throws {
        let output = folder.appendingPathComponent("metrics.json")
        let config = try write("data:\n  n_samples: 64\ntraining:\n  epochs: 2\n  batch_size: 16\n")
        let (status, stdout, stderr) = run(["--config", config, "--output", output.path])
        XCTAssertEqual(status, 0, stderr)
        XCTAssertEqual(stderr.split(separator: "\n").count, 2, "one progress line per epoch")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as! [String: Any]
        for key in ["final_total_loss", "final_recon_loss", "final_kl_loss"] {
            XCTAssertNotNil(json[key] as? Double, key)
        }
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? NSDictionary, json as NSDictionary)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(),
                       ["cfg.yaml", "metrics.json"], "no temporary file left behind")
        XCTAssertEqual(run(["--quiet", "--config", config]).2, "")
    }

    func testPrintConfigShowsDefaultsFilledIn() throws {
        let config = try write("model:\n  hidden_dim: 7\n")
        let (status, stdout, _) = run(["--config", config, "--print-config"])
        XCTAssertEqual(status, 0)
        let json = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as! [String: Any]
        XCTAssertEqual(json["hidden_dim"] as? Int, 7)
        XCTAssertEqual(json["batch_size"] as? Int, 32)
    }

    func testErrorsGiveOneLineWithPlaceAndExitStatus() throws {
        let existing = folder.appendingPathComponent("keep.json")
        try Data("previous".utf8).write(to: existing)
        let cases: [(String?, [String], Int32, String)] = [
            (nil, ["--bogus"], 2, "unknown argument '--bogus'"),
            (nil, ["--config"], 2, "--config needs a value"),
            (nil, ["--config", "/nonexistent/cfg.yaml"], 2, "/nonexistent/cfg.yaml: no such file"),
            ("", [], 2, "the file is empty"),
            ("training:\n  epocs: 5\n", [], 2, ":2:3: training.epocs: unknown key 'epocs' (did you mean 'epochs'?)"),
            ("modle:\n  hidden_dim: 5\n", [], 2, ":1:1: modle: unknown key 'modle' (did you mean 'model'?)"),
            ("training:\n  batch_size: 0\n", [], 2, ":2:15: training.batch_size: 0 is out of range"),
            ("training:\n  batch_size: 5000\n", [], 2, "training.batch_size: 5000 is larger than data.n_samples (2000)"),
            ("training:\n  epochs: 0\n", [], 2, "training.epochs: 0 is out of range"),
            ("seed: 99999999999999999999\n", [], 2, "seed: 1e+20 is out of range"),
            ("training:\n  learning_rate: -1\n", [], 2, "training.learning_rate: -1.0 is not allowed"),
            ("training:\n  learning_rate: .nan\n", [], 2, "training.learning_rate: nan is not allowed"),
            ("model:\n  hidden_dim: '64'\n", [], 2, "model.hidden_dim: expected an integer, got a string"),
            ("model:\n  likelihood: poisson\n", [], 2, "'poisson' is not allowed (one of gaussian, bernoulli)"),
            ("model:\n  likelihood: bernoulli\n", [], 2, "set data.scaling: min_max"),
            ("data: 5\n", [], 2, ":1:7: data: expected a mapping, got a integer"),
            ("seed: &a 1\n", [], 2, ":1:7: anchors ('&') are not supported"),
            ("seed: 1\n", ["--output", "/nonexistent-folder/m.json"], 2, "output folder /nonexistent-folder does not exist"),
            ("seed: 1\n", ["--output", FileManager.default.temporaryDirectory.path], 2, "is a folder, not a file"),
            ("training:\n  checkpoint: /nonexistent-folder/c.safetensors\n", [], 2, "training.checkpoint: output folder /nonexistent-folder does not exist"),
            ("data:\n  n_samples: 40\ntraining:\n  learning_rate: 1e6\n  batch_size: 8\n", ["--output", existing.path], 1, "the loss became"),
        ]
        for (text, extra, expectedStatus, fragment) in cases {
            var arguments = extra
            if let text { arguments = ["--config", try write(text)] + extra }
            let (status, stdout, stderr) = run(arguments)
            XCTAssertEqual(status, expectedStatus, "\(arguments): \(stderr)")
            XCTAssertTrue(stderr.contains(fragment), "\(arguments): \(stderr)")
            XCTAssertEqual(stderr.filter { $0 == "\n" }.count, 1, "one line: \(stderr)")
            XCTAssertEqual(stdout, "")
        }
        XCTAssertEqual(try String(contentsOf: existing, encoding: .utf8), "previous",
                       "a failed run must not clobber an existing output")
        let notUTF8 = folder.appendingPathComponent("bad.yaml")
        try Data([0x73, 0x65, 0xFF, 0xFE, 0x3A]).write(to: notUTF8)
        let (status, _, stderr) = run(["--config", notUTF8.path])
        XCTAssertEqual(status, 2)
        XCTAssertTrue(stderr.contains("not UTF-8"), stderr)
    }

    func testMetricsAreBitIdenticalForAnyThreadCount() throws {
        // Big enough that the step's GEMMs are split over the pool.
        var configuration = RunConfiguration.defaults
        configuration.nSamples = 256
        configuration.nFeatures = 200
        configuration.hiddenDim = 256
        configuration.batchSize = 64
        configuration.epochs = 2
        configuration.learningRate = 1e-4
        var results: [RunMetrics] = []
        for threads in [1, 2, 3] {
            configuration.threads = threads
            results.append(try VAERunner(configuration: configuration).run())
        }
        XCTAssertEqual(results[1], results[0])
        XCTAssertEqual(results[2], results[0])
        let text = try write("training:\n  threads: 0\n")
        XCTAssertThrowsError(try VAERunner(configPath: URL(fileURLWithPath: text)))
    }

    /// On a terminal the progress is one line rewritten in place (carriage return, erase line),
    /// ended by a newline after the last epoch. A real pseudo-terminal comes from util-linux
    /// `script`.
    func testProgressOnATerminalIsOneUpdatingLine() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("vae-run")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path)
                          && FileManager.default.isExecutableFile(atPath: "/usr/bin/script"),
                          "needs the built vae-run and util-linux script")
        let config = try write("data:\n  n_samples: 64\ntraining:\n  epochs: 3\n  batch_size: 16\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "\(binary.path) --config \(config) --output \(path("m.json"))", "/dev/null"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        for epoch in 1...3 {
            XCTAssertTrue(output.contains("\r\u{1B}[Kepoch \(epoch)/3"), output)
        }
        XCTAssertFalse(output.contains("\nepoch 2/3"), "progress must not be one line per epoch on a terminal")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("m.json")))
    }

    func testExampleConfigsAreValid() throws {
        for name in ["default", "bernoulli", "large"] {
            let runner = try VAERunner(configPath: packageRoot().appendingPathComponent("examples/\(name).yaml"))
            XCTAssertGreaterThan(runner.configuration.epochs, 0, name)
        }
    }
}
