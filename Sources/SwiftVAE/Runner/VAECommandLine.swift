import Foundation

/// The `vae-run` command: argument parsing, configuration, training, output. In the library so
/// tests can run it in-process with captured output; `Sources/vae-run/main.swift` only calls it.
public enum VAECommandLine {
    public static let usage = """
        usage: vae-run [--config PATH] [--output PATH] [--print-config] [--quiet] [--help] [--version]
          --config PATH    YAML configuration (default: the built-in default run)
          --output PATH    also write the metrics JSON to PATH (atomically)
          --print-config   print the resolved configuration as JSON and exit
          --quiet          no progress lines on stderr
        vae-run encode|reconstruct|sample|score --checkpoint CK ... (inference; see README)
        """

    struct Options {
        var configPath: String?
        var outputPath: String?
        var printConfig = false
        var quiet = false
        var help = false
        var version = false
    }

    static func parse(_ arguments: [String]) throws(RunnerError) -> Options {
        var options = Options()
        var cursor = ArgumentCursor(arguments, command: "vae-run")
        while let argument = cursor.next() {
            switch argument {
            case "--config": options.configPath = try cursor.value(for: argument)
            case "--output": options.outputPath = try cursor.value(for: argument)
            case "--print-config": options.printConfig = true
            case "--quiet": options.quiet = true
            case "--help", "-h": options.help = true
            case "--version": options.version = true
            default:
                throw RunnerError.usage("vae-run: unknown argument '\(argument)' (see --help)")
            }
        }
        return options
    }

    /// Runs `vae-run` with `arguments` (without the program name); returns the exit status:
    /// 0 on success, 2 for usage and configuration errors, 1 for a failure during the run.
    public static func run(
        arguments: [String],
        standardOutput: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) },
        standardError: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
        standardErrorIsTerminal: Bool = isatty(2) == 1
    ) -> Int32 {
        do {
            if let command = arguments.first,
               ["encode", "reconstruct", "sample", "score"].contains(command) {
                try InferenceCommands.run(command, Array(arguments.dropFirst()))
                return 0
            }
            let options = try parse(arguments)
            if options.help { standardOutput(usage + "\n" + InferenceCommands.usage + "\n"); return 0 }
            if options.version { standardOutput("vae-run \(SwiftVAEVersion.current)\n"); return 0 }
            let runner: VAERunner
            do {
                runner = try VAERunner(configPath: options.configPath.map { URL(fileURLWithPath: $0) })
            } catch let error as ConfigurationError {
                throw RunnerError.usage("vae-run: \(error)")
            }
            if options.printConfig {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let data = try encoder.encode(runner.configuration)
                standardOutput(String(decoding: data, as: UTF8.self) + "\n")
                return 0
            }
            let outputURL = options.outputPath.map { URL(fileURLWithPath: $0) }
            if let outputURL {
                do { try AtomicFile.checkWritableDestination(outputURL) } catch {
                    throw RunnerError.usage("vae-run: \(error)")
                }
            }
            if !options.quiet {
                runner.progress = { epoch, epochs, losses, samplesPerSecond, test in
                    var line = String(format: "epoch %d/%d  total %.4f  recon %.4f  kl %.4f",
                                      epoch, epochs, losses.total, losses.reconstruction, losses.kl)
                    if let test {
                        line += String(format: "  test %.4f", test.total)
                    }
                    line += String(format: "  %.0f samples/s", samplesPerSecond)
                    if standardErrorIsTerminal {
                        standardError("\r\u{1B}[K" + line + (epoch == epochs ? "\n" : ""))
                    } else {
                        standardError(line + "\n")
                    }
                }
            }
            let metrics: RunMetrics
            do {
                metrics = try runner.run()
            } catch let error as RunnerError {
                throw RunnerError.failure("vae-run: \(error)")
            } catch {
                throw RunnerError.failure("vae-run: \(error)")
            }
            let json = try runner.reportJSON(metrics)
            // The file first: if it cannot be written, the run failed and stdout says nothing.
            if let outputURL {
                do { try AtomicFile.write(json + Data("\n".utf8), to: outputURL) } catch {
                    throw RunnerError.failure("vae-run: \(error)")
                }
            }
            standardOutput(String(decoding: json, as: UTF8.self) + "\n")
            return 0
        } catch let error as RunnerError {
            standardError(error.description + "\n")
            return error.exitStatus
        } catch {
            standardError("vae-run: \(error)\n")
            return 1
        }
    }
}
