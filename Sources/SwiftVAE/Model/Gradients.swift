/// Gradients of the batch-mean loss with respect to every parameter: one matrix per parameter,
/// with the parameter's name and shape.
public struct Gradients: Sendable {
    let entries: [(name: String, value: Matrix)]

    init(entries: [(name: String, value: Matrix)]) { self.entries = entries }

    /// The gradient of the parameter called `name`, or nil for an unknown name.
    public subscript(name: String) -> Matrix? {
        entries.first { $0.name == name }?.value
    }

    /// Parameter names, in the model's parameter order.
    public var names: [String] { entries.map(\.name) }
}
