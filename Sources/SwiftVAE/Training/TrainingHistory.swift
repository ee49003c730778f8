/// Per-epoch losses of a training run: each entry is the epoch's mean per-sample loss (the batch
/// means weighted by their row counts, so a partial last batch counts for what it holds).
public struct TrainingHistory: Equatable, Sendable {
    /// reconstruction + KL, one per epoch.
    public var totalLoss: [Float]
    /// Reconstruction term, one per epoch.
    public var reconLoss: [Float]
    /// KL term, one per epoch.
    public var klLoss: [Float]

    /// An empty history with room for `epochs` entries (so appending allocates nothing).
    public init(reservingCapacity epochs: Int = 0) {
        totalLoss = []
        reconLoss = []
        klLoss = []
        totalLoss.reserveCapacity(epochs)
        reconLoss.reserveCapacity(epochs)
        klLoss.reserveCapacity(epochs)
    }
}

/// The mean losses of one epoch.
public struct EpochLosses: Equatable, Sendable {
    public var total: Float
    public var reconstruction: Float
    public var kl: Float
}
