/// The final losses of a run: the last epoch's mean per-sample losses.
public struct RunMetrics: Codable, Equatable, Sendable {
    /// JSON key "final_total_loss".
    public var finalTotalLoss: Double
    /// JSON key "final_recon_loss".
    public var finalReconLoss: Double
    /// JSON key "final_kl_loss".
    public var finalKLLoss: Double

    public init(finalTotalLoss: Double, finalReconLoss: Double, finalKLLoss: Double) {
        self.finalTotalLoss = finalTotalLoss
        self.finalReconLoss = finalReconLoss
        self.finalKLLoss = finalKLLoss
    }

    enum CodingKeys: String, CodingKey {
        case finalTotalLoss = "final_total_loss"
        case finalReconLoss = "final_recon_loss"
        case finalKLLoss = "final_kl_loss"
    }
}

/// What `vae-run` writes: the three documented keys at the top level, then the resolved
/// configuration, the per-epoch history, timing and the version.
struct MetricsReport: Encodable {
    var metrics: RunMetrics
    var configuration: RunConfiguration
    var history: TrainingHistory
    var testHistory: [EvaluationLosses]
    var test: (losses: EvaluationLosses, iwae: Double?)?
    var elapsedSeconds: Double
    var samplesPerSecond: Double

    enum CodingKeys: String, CodingKey {
        case finalTotalLoss = "final_total_loss", finalReconLoss = "final_recon_loss"
        case finalKLLoss = "final_kl_loss", config, history
        case elapsedSeconds = "elapsed_seconds", samplesPerSecond = "samples_per_second", version
        case testTotalLoss = "test_total_loss", testReconLoss = "test_recon_loss"
        case testKLLoss = "test_kl_loss", testNLLIWAE = "test_nll_iwae"
    }
    enum HistoryKeys: String, CodingKey {
        case totalLoss = "total_loss", reconLoss = "recon_loss", klLoss = "kl_loss"
        case testTotalLoss = "test_total_loss", testReconLoss = "test_recon_loss"
        case testKLLoss = "test_kl_loss"
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(metrics.finalTotalLoss, forKey: .finalTotalLoss)
        try container.encode(metrics.finalReconLoss, forKey: .finalReconLoss)
        try container.encode(metrics.finalKLLoss, forKey: .finalKLLoss)
        try container.encode(configuration, forKey: .config)
        var historyContainer = container.nestedContainer(keyedBy: HistoryKeys.self, forKey: .history)
        try historyContainer.encode(history.totalLoss.map(Double.init), forKey: .totalLoss)
        try historyContainer.encode(history.reconLoss.map(Double.init), forKey: .reconLoss)
        try historyContainer.encode(history.klLoss.map(Double.init), forKey: .klLoss)
        if !testHistory.isEmpty {
            try historyContainer.encode(testHistory.map(\.total), forKey: .testTotalLoss)
            try historyContainer.encode(testHistory.map(\.reconstruction), forKey: .testReconLoss)
            try historyContainer.encode(testHistory.map(\.kl), forKey: .testKLLoss)
        }
        if let test {
            try container.encode(test.losses.total, forKey: .testTotalLoss)
            try container.encode(test.losses.reconstruction, forKey: .testReconLoss)
            try container.encode(test.losses.kl, forKey: .testKLLoss)
            try container.encodeIfPresent(test.iwae, forKey: .testNLLIWAE)
        }
        try container.encode(elapsedSeconds, forKey: .elapsedSeconds)
        try container.encode(samplesPerSecond, forKey: .samplesPerSecond)
        try container.encode(SwiftVAEVersion.current, forKey: .version)
    }
}

/// The package version, reported by `vae-run --version` and in the metrics.
public enum SwiftVAEVersion {
    public static let current = "0.1.0"
}
