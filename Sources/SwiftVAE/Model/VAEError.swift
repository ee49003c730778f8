/// Errors from SwiftVAE entry points that take user data or settings.
///
/// `description` is one line saying what is wrong and where, fit for a command-line message.
public enum VAEError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A size (dimension, count) that is zero, negative or too large.
    case invalidSize(name: String, value: Int, reason: String)
    /// A training argument outside its allowed range.
    case invalidArgument(name: String, reason: String)
    /// Data whose shape does not fit the model.
    case shapeMismatch(what: String, expected: String, actual: String)
    /// A parameter name that the model does not have.
    case unknownParameter(name: String, known: [String])
    /// Data that contains NaN or infinity.
    case nonFiniteData(what: String, row: Int, column: Int)
    /// The loss became NaN or infinite during training.
    case nonFiniteLoss(epoch: Int, step: Int, total: Float)

    public var description: String {
        switch self {
        case let .invalidSize(name, value, reason):
            return "\(name) = \(value) is invalid: \(reason)"
        case let .invalidArgument(name, reason):
            return "\(name) is invalid: \(reason)"
        case let .shapeMismatch(what, expected, actual):
            return "\(what) has shape \(actual), expected \(expected)"
        case let .unknownParameter(name, known):
            return "unknown parameter '\(name)' (known: \(known.joined(separator: ", ")))"
        case let .nonFiniteData(what, row, column):
            return "\(what) contains a non-finite value at row \(row), column \(column)"
        case let .nonFiniteLoss(epoch, step, total):
            return "the loss became \(total) at epoch \(epoch), step \(step)"
        }
    }
}
