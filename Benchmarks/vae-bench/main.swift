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
    printTable(title: "GEMM, one core", header: ["case", "GFLOP/s", "min", "max", "% of peak"],
               rows: gemmResults.map {
                   [$0.name, formatted($0.median), formatted($0.min), formatted($0.max),
                    formatted($0.percentOfPeak)] })
    let elementwise = kernelSuite.measureElementwise()
    measurements += elementwise
    printTable(title: "Elementwise kernels, one core", header: ["kernel", "GB/s", "min", "max"],
               rows: elementwise.map {
                   [$0.name, formatted($0.median), formatted($0.min), formatted($0.max)] })
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
