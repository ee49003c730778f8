import Dispatch

/// Monotonic seconds.
func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

/// Summary statistics of repeated timings, in seconds per operation.
struct TimingSummary {
    var median: Double
    var minimum: Double
    var maximum: Double
}

/// Keeps a value observable so the optimizer cannot delete the work that produced it.
@inline(never)
func keepAlive<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// Times `operation`: a warm-up, then `repetitions` samples, each running the operation enough
/// times to last about `sampleSeconds`. Returns per-operation seconds.
func measure(repetitions: Int, sampleSeconds: Double, _ operation: () -> Void) -> TimingSummary {
    // Warm-up and calibration: how many calls fill one sample.
    let warmStart = monotonicSeconds()
    var calls = 0
    repeat {
        operation()
        calls += 1
    } while monotonicSeconds() - warmStart < sampleSeconds / 2
    let perCall = (monotonicSeconds() - warmStart) / Double(calls)
    let callsPerSample = max(1, Int(sampleSeconds / max(perCall, 1e-9)))
    var samples: [Double] = []
    for _ in 0..<repetitions {
        let start = monotonicSeconds()
        for _ in 0..<callsPerSample { operation() }
        samples.append((monotonicSeconds() - start) / Double(callsPerSample))
    }
    samples.sort()
    return TimingSummary(median: samples[samples.count / 2], minimum: samples.first!,
                         maximum: samples.last!)
}
