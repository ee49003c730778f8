import VAEKernels

/// Measures the FMA peak, every GEMM case at the VAE shapes with both micro-kernels, and the
/// elementwise kernels at a batch-of-128 MNIST size.
struct KernelSuite {
    var quick: Bool
    var repetitions: Int { quick ? 3 : 9 }
    var sampleSeconds: Double { quick ? 0.01 : 0.08 }

    /// Peak GFLOP/s of one core for (SIMD8, SIMD16), measured in this run.
    func measurePeak() -> (simd8: Measurement, simd16: Measurement) {
        let iterations = quick ? 2_000_000 : 20_000_000
        var results: [Measurement] = []
        for (name, width, loop) in [("fma-peak SIMD8", 8, fmaPeakLoopSIMD8),
                                    ("fma-peak SIMD16", 16, fmaPeakLoopSIMD16)] {
            let timing = measure(repetitions: repetitions, sampleSeconds: sampleSeconds) {
                keepAlive(loop(iterations / 10, 0.5))
            }
            let flops = Double(iterations / 10) * 12 * Double(width) * 2
            results.append(Measurement(
                suite: "kernels", name: name, threads: 1,
                median: flops / timing.median / 1e9, min: flops / timing.maximum / 1e9,
                max: flops / timing.minimum / 1e9, unit: "GFLOP/s", gflops: flops / timing.median / 1e9))
        }
        return (results[0], results[1])
    }

    func gemmCases() -> [(name: String, m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool)] {
        [("GEMM NN 128x400x784", 128, 400, 784, false, false),
         ("GEMM NN 128x784x400", 128, 784, 400, false, false),
         ("GEMM NT 128x784x400", 128, 784, 400, false, true),
         ("GEMM TN 784x400x128", 784, 400, 128, true, false),
         ("GEMM NN 1024x1024x1024", 1024, 1024, 1024, false, false)]
    }

    func measureGEMM(peak8: Double, peak16: Double) -> [Measurement] {
        var results: [Measurement] = []
        for kernel in GEMMMicroKernel.allCases {
            let scratch = GEMMScratch(microKernel: kernel)
            for c in gemmCases() {
                let a = AlignedBuffer(count: c.m * c.k), b = AlignedBuffer(count: c.k * c.n)
                let output = AlignedBuffer(count: c.m * c.n)
                for i in 0..<a.count { a.baseAddress[i] = Float(i % 13) * 0.01 - 0.06 }
                for i in 0..<b.count { b.baseAddress[i] = Float(i % 7) * 0.01 - 0.03 }
                let timing = measure(repetitions: repetitions, sampleSeconds: sampleSeconds) {
                    gemm(transposeA: c.transposeA, transposeB: c.transposeB, m: c.m, n: c.n, k: c.k,
                         a: a.baseAddress, lda: c.transposeA ? c.m : c.k,
                         b: b.baseAddress, ldb: c.transposeB ? c.k : c.n,
                         c: output.baseAddress, ldc: c.n, scratch: scratch)
                }
                keepAlive(output.baseAddress[c.m * c.n - 1])
                let flops = 2.0 * Double(c.m) * Double(c.n) * Double(c.k)
                let gflops = flops / timing.median / 1e9
                let peak = kernel == .simd8 ? peak8 : peak16
                results.append(Measurement(
                    suite: "kernels", name: "\(c.name) \(kernel.rawValue)", threads: 1,
                    median: gflops, min: flops / timing.maximum / 1e9,
                    max: flops / timing.minimum / 1e9, unit: "GFLOP/s", gflops: gflops,
                    percentOfPeak: 100 * gflops / peak))
            }
        }
        // The native kernel split over two threads by ParallelGEMM.
        let parallel = ParallelGEMM(threadCount: 2)
        for c in gemmCases() {
            let a = AlignedBuffer(count: c.m * c.k), b = AlignedBuffer(count: c.k * c.n)
            let output = AlignedBuffer(count: c.m * c.n)
            let timing = measure(repetitions: repetitions, sampleSeconds: sampleSeconds) {
                parallel.gemm(transposeA: c.transposeA, transposeB: c.transposeB, m: c.m, n: c.n,
                              k: c.k, a: a.baseAddress, lda: c.transposeA ? c.m : c.k,
                              b: b.baseAddress, ldb: c.transposeB ? c.k : c.n,
                              c: output.baseAddress, ldc: c.n)
            }
            let flops = 2.0 * Double(c.m) * Double(c.n) * Double(c.k)
            let gflops = flops / timing.median / 1e9
            let peak = GEMMMicroKernel.native == .simd8 ? peak8 : peak16
            results.append(Measurement(
                suite: "kernels", name: "\(c.name) \(GEMMMicroKernel.native.rawValue)", threads: 2,
                median: gflops, min: flops / timing.maximum / 1e9,
                max: flops / timing.minimum / 1e9, unit: "GFLOP/s", gflops: gflops,
                percentOfPeak: 100 * gflops / (2 * peak)))
        }
        return results
    }

    func measureElementwise() -> [Measurement] {
        let rows = 128, columns = 784, count = rows * columns
        let x = AlignedBuffer(count: count), y = AlignedBuffer(count: count)
        let z = AlignedBuffer(count: count), w = AlignedBuffer(count: count)
        for i in 0..<count {
            x.baseAddress[i] = Float(i % 97) * 0.05 - 2.4
            y.baseAddress[i] = Float(i % 89) / 89
        }
        let bias = AlignedBuffer(count: columns)
        var generator = Xoshiro256StarStar(seed: 1)
        let moments = AlignedBuffer(count: count)
        var adamStep = 0
        let floatBytes = Double(MemoryLayout<Float>.stride)
        // (name, bytes moved per call, work)
        let kernels: [(String, Double, () -> Void)] = [
            ("bias add 128x784", 2 * floatBytes * Double(count), {
                addBias(bias.baseAddress, to: z.baseAddress, rows: rows, columns: columns) }),
            ("bias add + ReLU 128x784", 2 * floatBytes * Double(count), {
                addBias(bias.baseAddress, to: z.baseAddress, rows: rows, columns: columns,
                        applyReLU: true) }),
            ("ReLU 128x784", 2 * floatBytes * Double(count), {
                relu(x.baseAddress, count: count, output: z.baseAddress) }),
            ("ReLU backward 128x784", 3 * floatBytes * Double(count), {
                reluBackward(outputGradient: x.baseAddress, activation: y.baseAddress,
                             count: count, inputGradient: z.baseAddress) }),
            ("sigmoid 128x784", 2 * floatBytes * Double(count), {
                sigmoid(x.baseAddress, count: count, output: z.baseAddress) }),
            ("exp 128x784", 2 * floatBytes * Double(count), {
                exponential(x.baseAddress, count: count, output: z.baseAddress) }),
            ("log 128x784", 2 * floatBytes * Double(count), {
                naturalLogarithm(y.baseAddress, count: count, output: z.baseAddress) }),
            ("reparameterize 128x784", 5 * floatBytes * Double(count), {
                reparameterize(mu: x.baseAddress, logVariance: y.baseAddress, noise: x.baseAddress,
                               count: count, z: z.baseAddress, standardDeviation: w.baseAddress) }),
            ("normal noise 128x784", floatBytes * Double(count), {
                fillStandardNormal(z.baseAddress, count: count, generator: &generator) }),
            ("squared error 128x784", 3 * floatBytes * Double(count), {
                keepAlive(squaredError(prediction: x.baseAddress, target: y.baseAddress,
                                       count: count, gradientScale: 1, gradient: z.baseAddress)) }),
            ("BCE from logits 128x784", 3 * floatBytes * Double(count), {
                keepAlive(binaryCrossEntropyWithLogits(
                    logits: x.baseAddress, targets: y.baseAddress, count: count,
                    gradientScale: 1, gradient: z.baseAddress)) }),
            ("Gaussian KL 128x784", 4 * floatBytes * Double(count), {
                keepAlive(gaussianKLDivergence(
                    mu: x.baseAddress, logVariance: y.baseAddress, count: count, gradientScale: 1,
                    muGradient: z.baseAddress, logVarianceGradient: w.baseAddress)) }),
            ("column sums 128x784", floatBytes * Double(count), {
                columnSums(x.baseAddress, rows: rows, columns: columns, sums: z.baseAddress) }),
            ("SGD update 128x784", 3 * floatBytes * Double(count), {
                sgdUpdate(w.baseAddress, gradients: x.baseAddress, count: count,
                          learningRate: 1e-9) }),
            ("Adam update 128x784", 7 * floatBytes * Double(count), {
                adamStep += 1
                adamUpdate(w.baseAddress, gradients: x.baseAddress, firstMoment: z.baseAddress,
                           secondMoment: moments.baseAddress, count: count, learningRate: 1e-9,
                           beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: adamStep) }),
        ]
        var results: [Measurement] = []
        for (name, bytes, work) in kernels {
            let timing = measure(repetitions: repetitions, sampleSeconds: sampleSeconds, work)
            let rate = bytes / timing.median / 1e9
            results.append(Measurement(
                suite: "kernels", name: name, threads: 1, median: rate,
                min: bytes / timing.maximum / 1e9, max: bytes / timing.minimum / 1e9,
                unit: "GB/s", gigabytesPerSecond: rate))
        }
        keepAlive(z.baseAddress[0])
        return results
    }
}
