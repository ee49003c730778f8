import Foundation
import SwiftVAE
import XCTest

final class CheckpointTests: TemporaryFolderTestCase {

    /// A small digits configuration with Adam, a test split and a checkpoint path.
    func configuration(epochs: Int, checkpoint: String? = nil, resume: String? = nil) throws -> RunConfiguration {
        var c = try VAERunner(configPath: packageRoot().appendingPathComponent("examples/digits.yaml")).configuration
        c.epochs = epochs
        c.hiddenDim = 24
        c.iwaeSamples = 20
        c.testNoiseDraws = 2
        c.checkpoint = checkpoint
        c.resume = resume
        c.klWarmupEpochs = 3
        return c
    }

    func testResumeIsBitIdenticalToAnUninterruptedRun() throws {
        let straight = try VAERunner(configuration: configuration(epochs: 6, checkpoint: path("a.safetensors")))
        let straightMetrics = try straight.run()
        let first = try VAERunner(configuration: configuration(epochs: 3, checkpoint: path("b.safetensors")))
        _ = try first.run()
        let resumed = try VAERunner(configuration: configuration(epochs: 6, checkpoint: path("c.safetensors"),
                                                                  resume: path("b.safetensors")))
        XCTAssertEqual(try resumed.run(), straightMetrics)
        XCTAssertEqual(resumed.history, straight.history)
        XCTAssertEqual(resumed.testMetrics?.losses, straight.testMetrics?.losses)
        XCTAssertEqual(resumed.model?.parameters, straight.model?.parameters)
        // The saved files hold the same parameters and state too.
        let a = try Checkpoint.read(path("a.safetensors")), c = try Checkpoint.read(path("c.safetensors"))
        XCTAssertEqual(a.parameters, c.parameters)
        XCTAssertEqual(a.trainerState, c.trainerState)
        XCTAssertEqual(a.epoch, 6)
    }

    func testRoundTripAndForeignFiles() throws {
        let model = try VariationalAutoencoder(inputDim: 5, hiddenDim: 4, latentDim: 2, seed: 9)
        // "Another tool": only the ten tensors, biases 2-D, no metadata.
        var tensors: [String: SafetensorsTensor] = [:]
        for (name, value) in model.parameters {
            tensors[name] = SafetensorsTensor(shape: [value.rows, value.columns], float32: value.scalars)
        }
        let foreign = path("foreign.safetensors")
        try Safetensors.encode(tensors: tensors, metadata: [:]).write(to: URL(fileURLWithPath: foreign))
        let loaded = try Checkpoint.read(foreign)
        XCTAssertNil(loaded.trainerState)
        XCTAssertEqual(try loaded.makeModel().parameters, model.parameters)
        // Header padded to 8 bytes; data little-endian after it.
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: foreign)))
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual((8 + headerLength) % 8, 0)
    }

    func testMalformedFilesGiveClearErrors() throws {
        let model = try VariationalAutoencoder(inputDim: 5, hiddenDim: 4, latentDim: 2, seed: 9)
        var tensors: [String: SafetensorsTensor] = [:]
        for (name, value) in model.parameters {
            tensors[name] = SafetensorsTensor(shape: [value.rows, value.columns], float32: value.scalars)
        }
        let good = try Array(Safetensors.encode(tensors: tensors, metadata: ["k": "v"]))
        func check(_ bytes: [UInt8], _ fragment: String, line: UInt = #line) throws {
            let file = path("bad-\(line).safetensors")
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            XCTAssertThrowsError(try Checkpoint.read(file), line: line) {
                XCTAssertTrue("\($0)".contains(fragment), "\($0) lacks '\(fragment)'", line: line)
                XCTAssertTrue("\($0)".hasPrefix(file), line: line)
            }
        }
        try check(Array(good.prefix(5)), "truncated")
        try check(Array(good.dropLast(4)), "outside the 320-byte data")
        try check(good + [0, 0, 0, 0], "cover")
        try check([255, 255, 255, 255, 0, 0, 0, 0] + Array(good[8...]), "header length")
        var badJSON = good
        badJSON[8] = UInt8(ascii: "x")
        try check(badJSON, "well-formed JSON")
        func variant(_ edit: (inout [String: SafetensorsTensor]) -> Void) throws -> [UInt8] {
            var copy = tensors
            edit(&copy)
            return try Array(Safetensors.encode(tensors: copy, metadata: [:]))
        }
        try check(try variant { $0["W_enc"] = nil }, "missing tensor 'W_enc'")
        try check(try variant { $0["extra"] = SafetensorsTensor(shape: [1], float32: [0]) }, "unexpected tensor 'extra'")
        try check(try variant { $0["W_enc"] = SafetensorsTensor(shape: [4, 5], float32: Array(repeating: 0, count: 20)) }, "expected 5x4")
        try check(try variant { $0["b_out"] = SafetensorsTensor(shape: [5], float32: [0, 0, .nan, 0, 0]) }, "non-finite")
        // A dtype SwiftVAE does not read, and offsets that overlap, edited in the header text.
        let headerLength = good[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        let original = String(decoding: good[8..<(8 + headerLength)], as: UTF8.self)
        let f16 = original.replacingOccurrences(of: "\"F32\"", with: "\"F16\"")
        try check(Array(good[0..<8]) + Array(f16.utf8) + Array(good[(8 + headerLength)...]), "dtype F16")
        var header = original
        header = header.replacingOccurrences(of: "\"data_offsets\":[0,", with: "\"data_offsets\":[4,")
        try check(Array(good[0..<8]) + Array(header.utf8) + Array(good[(8 + headerLength)...]), "offsets")
    }

    /// A real `vae-run` process killed with SIGKILL after writing a checkpoint, then resumed:
    /// the final metrics equal an uninterrupted run's.
    func testKillNineThenResume() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("vae-run")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "vae-run not built next to the tests")
        let data = packageRoot().appendingPathComponent("Benchmarks/Data/digits.csv").path
        func yaml(epochs: Int, checkpoint: String, resume: String? = nil) -> String {
            var lines = [
                "seed: 3",
                "data:", "  source: csv", "  path: \(data)", "  label_column: label",
                "  test_last_rows: 297", "  scaling: divide", "  scale: 16",
                "model:", "  hidden_dim: 256", "  latent_dim: 8", "  likelihood: bernoulli",
                "training:", "  epochs: \(epochs)", "  optimizer: adam", "  batch_size: 16",
                "  threads: 1", "  checkpoint: \(checkpoint)", "  checkpoint_every: 1",
            ]
            if let resume { lines.append("  resume: \(resume)") }
            return lines.joined(separator: "\n") + "\n"
        }
        func run(_ config: String, output: String) throws -> Process {
            let file = path(UUID().uuidString + ".yaml")
            try Data(config.utf8).write(to: URL(fileURLWithPath: file))
            let process = Process()
            process.executableURL = binary
            process.arguments = ["--quiet", "--config", file, "--output", output]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        let reference = try run(yaml(epochs: 60, checkpoint: path("ref.safetensors")), output: path("ref.json"))
        reference.waitUntilExit()
        XCTAssertEqual(reference.terminationStatus, 0)
        let victim = try run(yaml(epochs: 60, checkpoint: path("kill.safetensors")), output: path("kill.json"))
        // Wait for a checkpoint of at least epoch 2, then kill -9 mid-run.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let ck = try? Checkpoint.read(path("kill.safetensors")), ck.epoch >= 2 { break }
            usleep(2000)
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        let saved = try Checkpoint.read(path("kill.safetensors"))   // intact after the kill
        XCTAssertLessThan(saved.epoch, 60, "the run finished before it could be killed; make it longer")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("kill.json")))
        let resumed = try run(yaml(epochs: 60, checkpoint: path("kill.safetensors"), resume: path("kill.safetensors")),
                              output: path("resumed.json"))
        resumed.waitUntilExit()
        XCTAssertEqual(resumed.terminationStatus, 0)
        func finals(_ file: String) throws -> [String: Double] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
            return json.filter { $0.key.hasPrefix("final_") || $0.key.hasPrefix("test_") && $0.value is Double }
                .mapValues { $0 as! Double }
        }
        XCTAssertEqual(try finals(path("resumed.json")), try finals(path("ref.json")))
        XCTAssertEqual(try Checkpoint.read(path("kill.safetensors")).parameters,
                       try Checkpoint.read(path("ref.safetensors")).parameters)
    }
}

/// Mutated checkpoints, NPY and IDX files: every reader answers with a value or an error naming
/// the file, never a trap (sizes in headers are untrusted). Seeded, so a failure reproduces.
final class BinaryReaderFuzzTests: TemporaryFolderTestCase {
    func testMutatedFilesNeverCrash() throws {
        let model = try VariationalAutoencoder(inputDim: 6, hiddenDim: 5, latentDim: 2, seed: 1)
        var tensors: [String: SafetensorsTensor] = [:]
        for (name, value) in model.parameters {
            tensors[name] = SafetensorsTensor(shape: [value.rows, value.columns], float32: value.scalars)
        }
        let checkpoint = try Array(Safetensors.encode(tensors: tensors, metadata: ["epoch": "x"]))
        let npy = [UInt8](MatrixWriter.npy(Matrix(rows: 3, columns: 4, repeating: 0.5)))
        let idx: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2] + [UInt8](repeating: 7, count: 8)
        var generator = Xoshiro256StarStar(seed: 17)
        var outcomes = [0, 0]
        for iteration in 0..<1500 {
            var bytes = [checkpoint, npy, idx][iteration % 3]
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 4 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes[position] = [0xFF, 0x00, 0x39, 0x2C][Int(generator.next() % 4)]   // big, zero, '9', ','
                case 2: bytes.removeSubrange(position...)                                        // truncate
                default: bytes.insert(UInt8(ascii: "9"), at: position)
                }
                if bytes.isEmpty { bytes = [0] }
            }
            let file = path("fuzz-\(iteration % 3)")
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            do {
                switch iteration % 3 {
                case 0: _ = try Checkpoint.read(file)
                case 1: _ = try NPYReader.read(file)
                default: _ = try IDXReader.readImages(file)
                }
                outcomes[0] += 1
            } catch {
                XCTAssertTrue(error.description.hasPrefix(file), error.description)
                outcomes[1] += 1
            }
        }
        XCTAssertEqual(outcomes[0] + outcomes[1], 1500)
        XCTAssertGreaterThan(outcomes[1], 500)
    }
}
