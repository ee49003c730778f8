/// Walks command-line arguments: the flag at hand and the values that follow flags, with
/// usage errors that name the command.
struct ArgumentCursor {
    let arguments: [String]
    /// "vae-run" or "vae-run encode": the prefix of every message.
    let command: String
    private var index = -1

    init(_ arguments: [String], command: String) {
        self.arguments = arguments
        self.command = command
    }

    /// The next argument, or nil at the end.
    mutating func next() -> String? {
        index += 1
        return index < arguments.count ? arguments[index] : nil
    }

    /// The value after `flag`; a missing value or another flag is a usage error.
    mutating func value(for flag: String) throws(RunnerError) -> String {
        index += 1
        guard index < arguments.count, !arguments[index].hasPrefix("--") else {
            throw RunnerError.usage("\(command): \(flag) needs a value")
        }
        return arguments[index]
    }
}
