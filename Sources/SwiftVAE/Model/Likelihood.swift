/// The decoder's output distribution, which fixes the reconstruction loss.
public enum Likelihood: String, Sendable, CaseIterable {
    /// Unit-variance Gaussian: identity output, loss = summed squared error per sample.
    case gaussian
    /// Bernoulli: sigmoid output, loss = summed binary cross-entropy from the logits per sample.
    /// Targets must lie in [0, 1].
    case bernoulli
}
