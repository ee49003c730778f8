import Foundation
import VAEKernels

let options: BenchmarkOptions
do {
    options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}

var measurements: [Measurement] = []
print("vae-bench: SwiftVAE \(options.quick ? "(quick)" : ""), native GEMM micro-kernel "
      + "\(GEMMMicroKernel.native.rawValue), \(ProcessInfo.processInfo.activeProcessorCount) cores")

let kernelSuite = KernelSuite(quick: options.quick)
let peak = kernelSuite.measurePeak()
measurements += [peak.simd8, peak.simd16]
printTable(title: "FMA peak, one core (GFLOP/s)", header: ["loop", "median", "min", "max"],
           rows: [peak.simd8, peak.simd16].map {
               [$0.name, formatted($0.median), formatted($0.min), formatted($0.max)] })

if options.suite != .train {
    let gemmResults = kernelSuite.measureGEMM(peak8: peak.simd8.median, peak16: peak.simd16.median)
    measurements += gemmResults
    printTable(title: "GEMM (% of the in-run peak of the kernel's width, times the threads)",
               header: ["case", "threads", "GFLOP/s", "min", "max", "% of peak"],
               rows: gemmResults.map {
                   [$0.name, "\($0.threads)", formatted($0.median), formatted($0.min),
                    formatted($0.max), formatted($0.percentOfPeak)] })
    let elementwise = kernelSuite.measureElementwise()
    measurements += elementwise
    printTable(title: "Elementwise kernels, one core", header: ["kernel", "GB/s", "min", "max"],
               rows: elementwise.map {
                   [$0.name, formatted($0.median), formatted($0.min), formatted($0.max)] })
}

if options.suite != .kernels {
    let suite = TrainSuite(quick: options.quick)
    var rows: [[String]] = []
    for name in options.configs {
        guard let config = TrainSuite.all.first(where: { $0.name == name }) else {
            FileHandle.standardError.write(Data("vae-bench: unknown config '\(name)' (tiny, digits, mnist, large)\n".utf8))
            exit(2)
        }
        do {
            for result in try suite.measure(config, threadCounts: options.threads,
                                            peak: peak.simd8.median) {
                measurements.append(result)
                rows.append([result.name, "\(result.threads)", formatted(result.median, decimals: 0),
                             formatted(result.min, decimals: 0), formatted(result.max, decimals: 0),
                             formatted(result.microsecondsPerStep), formatted(result.gflops),
                             formatted(result.percentOfPeak), formatted(result.allocationsPerStep, decimals: 2),
                             formatted(result.finalLoss, decimals: 4)])
            }
        } catch {
            FileHandle.standardError.write(Data("vae-bench: \(config.name): \(error)\n".utf8))
            exit(1)
        }
    }
    printTable(title: "Training step (forward + backward + SGD), samples/s",
               header: ["config", "threads", "samples/s", "min", "max", "us/step", "GFLOP/s",
                        "% of peak", "allocs/step", "final loss"], rows: rows)
}

if let path = options.jsonPath {
    do {
        try writeJSON(measurements, to: path)
        print("\nwrote \(measurements.count) measurements to \(path)")
    } catch {
        FileHandle.standardError.write(Data("vae-bench: cannot write \(path): \(error)\n".utf8))
        exit(1)
    }
}
