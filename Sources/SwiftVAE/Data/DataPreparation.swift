/// How features are scaled before training. Statistics come from the training split only and
/// are applied unchanged to the test split.
public enum Scaling: Equatable, Sendable {
    case none
    /// `x / constant` (255 for 8-bit images, 16 for the 8x8 digits).
    case divide(Float)
    /// Per feature to [0, 1]: `(x - min) / (max - min)`; a constant feature becomes 0.
    case minMax
    /// Per feature to mean 0, standard deviation 1; a constant feature becomes 0.
    case standardize
}

/// Optional binarization after scaling (for a Bernoulli likelihood on grey levels).
public enum Binarization: Equatable, Sendable {
    case none
    /// `x > threshold ? 1 : 0`.
    case threshold(Float)
    /// `1` with probability `x` (x must lie in [0, 1]), from a seeded generator.
    case sampled(seed: UInt64)
}

/// A per-feature affine map `(x - shift) * scale`, fitted on training data. Min-max results are
/// clipped to [0, 1] (so rounding cannot leave a training value a hair outside, and test values
/// beyond the training range stay valid Bernoulli targets).
public struct FeatureScaler: Equatable, Sendable {
    public var shift: [Float]
    public var scale: [Float]
    public var clipsToUnitInterval: Bool

    /// A scaler with given per-feature values (for example from a checkpoint).
    public init(shift: [Float], scale: [Float], clipsToUnitInterval: Bool) {
        self.shift = shift
        self.scale = scale
        self.clipsToUnitInterval = clipsToUnitInterval
    }

    /// Fits `scaling` on the rows of `train`.
    public init(_ scaling: Scaling, fittedOn train: Matrix) {
        let columns = train.columns, rows = train.rows
        scale = [Float](repeating: 1, count: columns)
        shift = [Float](repeating: 0, count: columns)
        clipsToUnitInterval = scaling == .minMax
        switch scaling {
        case .none: break
        case let .divide(constant):
            for j in 0..<columns { scale[j] = 1 / constant }
        case .minMax:
            var low = [Float](repeating: .infinity, count: columns)
            var high = [Float](repeating: -.infinity, count: columns)
            for r in 0..<rows {
                for j in 0..<columns {
                    let v = train.scalars[r * columns + j]
                    low[j] = min(low[j], v)
                    high[j] = max(high[j], v)
                }
            }
            for j in 0..<columns {
                let range = high[j] - low[j]
                scale[j] = range > 0 ? 1 / range : 0
                shift[j] = range > 0 ? low[j] : 0
            }
        case .standardize:
            var mean = [Double](repeating: 0, count: columns)
            var squares = [Double](repeating: 0, count: columns)
            for r in 0..<rows {
                for j in 0..<columns { mean[j] += Double(train.scalars[r * columns + j]) }
            }
            for j in 0..<columns { mean[j] /= Double(rows) }
            for r in 0..<rows {
                for j in 0..<columns {
                    let d = Double(train.scalars[r * columns + j]) - mean[j]
                    squares[j] += d * d
                }
            }
            for j in 0..<columns {
                let deviation = (squares[j] / Double(rows)).squareRoot()
                scale[j] = deviation > 0 ? Float(1 / deviation) : 0
                shift[j] = Float(mean[j])
            }
        }
    }

    /// `(x - shift) * scale`, per column (then clipped to [0, 1] for min-max).
    public func apply(to x: Matrix) -> Matrix {
        var result = x
        for r in 0..<x.rows {
            for j in 0..<x.columns {
                let index = r * x.columns + j
                var value = (x.scalars[index] - shift[j]) * scale[j]
                if clipsToUnitInterval { value = min(max(value, 0), 1) }
                result.scalars[index] = value
            }
        }
        return result
    }
}

/// Applies `binarization` to `x` (values must be in [0, 1] for `.sampled`).
public func binarize(_ x: Matrix, _ binarization: Binarization) -> Matrix {
    var result = x
    switch binarization {
    case .none: break
    case let .threshold(threshold):
        result.scalars = x.scalars.map { $0 > threshold ? 1 : 0 }
    case let .sampled(seed):
        var generator = Xoshiro256StarStar(seed: seed)
        result.scalars = x.scalars.map { generator.nextUnitFloat() < $0 ? 1 : 0 }
    }
    return result
}

/// Splits the rows of `x` into a training and a test part: a seeded shuffle, then the last
/// `round(testFraction * rows)` rows of the shuffled order are the test part.
public func splitRows(_ x: Matrix, testFraction: Double, seed: UInt64) -> (train: Matrix, test: Matrix) {
    precondition(testFraction >= 0 && testFraction < 1, "splitRows: testFraction in [0, 1)")
    var order = Array(0..<x.rows)
    var generator = Xoshiro256StarStar(seed: seed)
    order.shuffle(using: &generator)
    let testCount = Int((testFraction * Double(x.rows)).rounded())
    func gather(_ rows: ArraySlice<Int>) -> Matrix {
        var scalars: [Float] = []
        scalars.reserveCapacity(rows.count * x.columns)
        for r in rows { scalars += x.scalars[(r * x.columns)..<((r + 1) * x.columns)] }
        return Matrix(rows: rows.count, columns: x.columns, scalars: scalars)
    }
    return (gather(order[..<(x.rows - testCount)]), gather(order[(x.rows - testCount)...]))
}
