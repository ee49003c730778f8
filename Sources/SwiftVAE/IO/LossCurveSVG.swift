import Foundation

/// Draws per-epoch loss curves as a standalone SVG: one polyline per series, labelled axes with
/// ticks, and a legend.
public enum LossCurveSVG {
    public struct Series {
        public var name: String
        public var values: [Double]
        public var color: String
        public var dashed: Bool
        public init(name: String, values: [Double], color: String, dashed: Bool = false) {
            self.name = name
            self.values = values
            self.color = color
            self.dashed = dashed
        }
    }

    /// The series of a run: train total/reconstruction/KL, and test total/reconstruction/KL
    /// when there is a test history.
    public static func series(history: TrainingHistory, test: [EvaluationLosses]) -> [Series] {
        var result = [
            Series(name: "train total", values: history.totalLoss.map(Double.init), color: "#1f77b4"),
            Series(name: "train reconstruction", values: history.reconLoss.map(Double.init), color: "#2ca02c"),
            Series(name: "train KL", values: history.klLoss.map(Double.init), color: "#d62728"),
        ]
        if !test.isEmpty {
            result += [
                Series(name: "test total", values: test.map(\.total), color: "#1f77b4", dashed: true),
                Series(name: "test reconstruction", values: test.map(\.reconstruction), color: "#2ca02c", dashed: true),
                Series(name: "test KL", values: test.map(\.kl), color: "#d62728", dashed: true),
            ]
        }
        return result
    }

    public static func svg(_ series: [Series], title: String) -> String {
        let width = 720.0, height = 440.0
        let left = 70.0, right = 200.0, top = 40.0, bottom = 60.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let epochs = max(series.map(\.values.count).max() ?? 1, 1)
        let finite = series.flatMap(\.values).filter(\.isFinite)
        var low = min(finite.min() ?? 0, 0), high = finite.max() ?? 1
        if high <= low { high = low + 1 }
        let yStep = niceStep((high - low) / 5)
        low = (low / yStep).rounded(.down) * yStep
        high = (high / yStep).rounded(.up) * yStep
        func x(_ epoch: Int) -> Double { left + plotWidth * (epochs == 1 ? 0.5 : Double(epoch - 1) / Double(epochs - 1)) }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - low) / (high - low)) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func label(_ v: Double) -> String {
            v == v.rounded() && abs(v) < 1e6 ? String(Int(v)) : String(format: "%.3g", v)
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(left + plotWidth / 2))" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

            """
        // Axes, ticks and grid.
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(top + plotHeight))\" stroke=\"black\"/>\n"
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotHeight))\" stroke=\"black\"/>\n"
        var tick = low
        while tick <= high + yStep / 2 {
            out += "<line x1=\"\(f(left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(tick)))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(label(tick))</text>\n"
            tick += yStep
        }
        let xStep = max(1, Int(niceStep(Double(epochs) / 6)))
        for epoch in stride(from: 1, through: epochs, by: 1) where epoch == 1 || epoch % xStep == 0 {
            out += "<line x1=\"\(f(x(epoch)))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(x(epoch)))\" y2=\"\(f(top + plotHeight + 5))\" stroke=\"black\"/>\n"
            out += "<text x=\"\(f(x(epoch)))\" y=\"\(f(top + plotHeight + 18))\" text-anchor=\"middle\">\(epoch)</text>\n"
        }
        out += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">epoch</text>\n"
        out += "<text x=\"18\" y=\"\(f(top + plotHeight / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(f(top + plotHeight / 2)))\">loss (nats per sample)</text>\n"
        // Curves and legend.
        for (index, s) in series.enumerated() {
            let points = s.values.enumerated().filter { $0.element.isFinite }
                .map { "\(f(x($0.offset + 1))),\(f(y($0.element)))" }.joined(separator: " ")
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            out += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash) points=\"\(points)\"><title>\(escape(s.name))</title></polyline>\n"
            let legendY = top + 10 + Double(index) * 20
            out += "<line x1=\"\(f(width - right + 15))\" y1=\"\(f(legendY))\" x2=\"\(f(width - right + 45))\" y2=\"\(f(legendY))\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>\n"
            out += "<text x=\"\(f(width - right + 52))\" y=\"\(f(legendY + 4))\">\(escape(s.name))</text>\n"
        }
        return out + "</svg>\n"
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 && raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2, 2.5, 5, 10] where raw <= factor * magnitude { return factor * magnitude }
        return 10 * magnitude
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
