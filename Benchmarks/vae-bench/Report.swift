import Foundation

/// One measurement, printed as a table row and written as one JSON object.
struct Measurement: Encodable {
    var suite: String
    var name: String
    var threads: Int
    var median: Double
    var min: Double
    var max: Double
    var unit: String
    var samplesPerSecond: Double?
    var microsecondsPerStep: Double?
    var gflops: Double?
    var gigabytesPerSecond: Double?
    var percentOfPeak: Double?
    var allocationsPerStep: Double?
    var finalLoss: Double?

    enum CodingKeys: String, CodingKey {
        case suite, name, threads, median, min, max, unit
        case samplesPerSecond = "samples_per_second"
        case microsecondsPerStep = "microseconds_per_step"
        case gflops
        case gigabytesPerSecond = "gigabytes_per_second"
        case percentOfPeak = "percent_of_peak"
        case allocationsPerStep = "allocations_per_step"
        case finalLoss = "final_loss"
    }
}

/// Formats a number for the table: a fixed number of significant figures, no exponent.
func formatted(_ value: Double?, decimals: Int = 1) -> String {
    guard let value else { return "-" }
    return String(format: "%.\(decimals)f", value)
}

/// Prints rows as an aligned text table.
func printTable(title: String, header: [String], rows: [[String]]) {
    var widths = header.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, cell in
            i == 0 ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: widths[i] - cell.count) + cell
        }.joined(separator: "  ")
    }
    print("\n\(title)")
    print(line(header))
    print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    for row in rows { print(line(row)) }
}

/// Writes the measurements as a JSON array, atomically (temporary file, then rename).
func writeJSON(_ measurements: [Measurement], to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let data = try encoder.encode(measurements)
    try data.write(to: URL(fileURLWithPath: path), options: .atomic)
}
