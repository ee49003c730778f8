/// Command-line options of vae-bench.
struct BenchmarkOptions {
    enum Suite: String { case kernels, train, all }
    var suite: Suite = .all
    var configs: [String] = ["tiny", "digits", "mnist", "large"]
    var threads: [Int] = [1, 2]
    var jsonPath: String?
    var quick = false

    static let usage = """
        usage: vae-bench [--suite kernels|train|all] [--configs tiny,digits,mnist,large]
                         [--threads 1,2] [--json PATH] [--quick] [--help]
        """

    struct UsageError: Error, CustomStringConvertible { var description: String }

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws {
        var remaining = arguments[...]
        func value(for flag: String) throws -> String {
            guard let next = remaining.popFirst(), !next.hasPrefix("--") else {
                throw UsageError(description: "vae-bench: \(flag) needs a value")
            }
            return next
        }
        while let argument = remaining.popFirst() {
            switch argument {
            case "--suite":
                let name = try value(for: argument)
                guard let suite = Suite(rawValue: name) else {
                    throw UsageError(description: "vae-bench: unknown suite '\(name)' (kernels, train or all)")
                }
                self.suite = suite
            case "--configs":
                configs = try value(for: argument).split(separator: ",").map(String.init)
            case "--threads":
                let text = try value(for: argument)
                threads = try text.split(separator: ",").map {
                    guard let count = Int($0), count >= 1, count <= 64 else {
                        throw UsageError(description: "vae-bench: --threads takes counts 1...64, got '\(text)'")
                    }
                    return count
                }
            case "--json": jsonPath = try value(for: argument)
            case "--quick": quick = true
            case "--help", "-h":
                throw UsageError(description: Self.usage)
            default:
                throw UsageError(description: "vae-bench: unknown option '\(argument)'\n\(Self.usage)")
            }
        }
    }
}
