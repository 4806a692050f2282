import Foundation

/// A bar or line chart as inline SVG: labelled axes with ticks, a legend,
/// `role="img"` and a `<title>`, so it reads aloud and prints without any
/// script. Values are only drawn here; the numbers a reader takes away are in
/// the table beside every chart, as the CSV writes them.
struct SVGChart {
    enum Kind {
        case bars
        case lines
    }

    struct Series {
        let name: String
        let values: [Double]
    }

    let title: String
    let kind: Kind
    /// One label per point on the x axis.
    let categories: [String]
    let series: [Series]
    let xAxis: String
    /// The y axis's name with its unit, e.g. "sessions" or "cost (USD)".
    let yAxis: String

    static let colors = ["#3366aa", "#e08020", "#2a9d8f", "#b04060"]
    private let width = 720.0, height = 300.0
    private let left = 72.0, right = 16.0, top = 34.0, bottom = 86.0

    var svg: String {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maximum = series.flatMap(\.values).max() ?? 0
        let (step, tickCount) = Self.ticks(maximum)
        let yMax = step * Double(tickCount)
        func y(_ value: Double) -> Double { top + plotHeight - (yMax > 0 ? value / yMax * plotHeight : 0) }
        var svg = "<svg role=\"img\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        svg += "<title>\(HTML.escape(title))</title>"
        // Axes, grid and ticks.
        for tick in 0...tickCount {
            let value = step * Double(tick)
            let position = Self.number(y(value))
            svg += "<line x1=\"\(Self.number(left))\" x2=\"\(Self.number(width - right))\" y1=\"\(position)\" y2=\"\(position)\" stroke=\"#dde\"/>"
            svg += "<text x=\"\(Self.number(left - 6))\" y=\"\(Self.number(y(value) + 4))\" text-anchor=\"end\">\(Self.tickLabel(value, step: step))</text>"
        }
        svg += "<line x1=\"\(Self.number(left))\" x2=\"\(Self.number(left))\" y1=\"\(Self.number(top))\" y2=\"\(Self.number(top + plotHeight))\" stroke=\"#556\"/>"
        svg += "<line x1=\"\(Self.number(left))\" x2=\"\(Self.number(width - right))\" y1=\"\(Self.number(top + plotHeight))\" y2=\"\(Self.number(top + plotHeight))\" stroke=\"#556\"/>"
        let slot = categories.isEmpty ? plotWidth : plotWidth / Double(categories.count)
        let labelEvery = max(1, Int((Double(categories.count) / 12).rounded(.up)))
        // Long names (tools, usernames) are slanted so neighbours do not
        // overlap: at 11 px, DejaVu Sans's digits are 7 units wide (0.64 em),
        // and a label needs a few units of air on each side.
        let slanted = categories.contains { $0.count * 7 + 6 > Int(slot * Double(labelEvery)) }
        for (index, category) in categories.enumerated() where index % labelEvery == 0 {
            let x = Self.number(left + slot * (Double(index) + 0.5)), y = Self.number(top + plotHeight + 14)
            let label = HTML.escape(category.count > 18 ? String(category.prefix(17)) + "…" : category)
            svg += slanted
                ? "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"end\" transform=\"rotate(-25 \(x) \(y))\">\(label)</text>"
                : "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"middle\">\(label)</text>"
        }
        let titleY = top + plotHeight + (slanted ? 74 : 36)
        svg += "<text x=\"\(Self.number(left + plotWidth / 2))\" y=\"\(Self.number(titleY))\" text-anchor=\"middle\">\(HTML.escape(xAxis))</text>"
        svg += "<text transform=\"translate(14 \(Self.number(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(HTML.escape(yAxis))</text>"
        // The data.
        for (seriesIndex, series) in self.series.enumerated() {
            let color = Self.colors[seriesIndex % Self.colors.count]
            switch kind {
            case .bars:
                let barWidth = slot * 0.8 / Double(max(1, self.series.count))
                for (index, value) in series.values.enumerated() {
                    let x = left + slot * Double(index) + slot * 0.1 + barWidth * Double(seriesIndex)
                    svg += "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y(value)))\" width=\"\(Self.number(max(barWidth, 0.5)))\" height=\"\(Self.number(top + plotHeight - y(value)))\" fill=\"\(color)\"/>"
                }
            case .lines:
                let points = series.values.enumerated().map { "\(Self.number(left + slot * (Double($0.offset) + 0.5))),\(Self.number(y($0.element)))" }
                svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            }
            // Legend.
            let legendX = left + Double(seriesIndex) * 170
            svg += "<rect x=\"\(Self.number(legendX))\" y=\"10\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(Self.number(legendX + 17))\" y=\"20\">\(HTML.escape(series.name))</text>"
        }
        return svg + "</svg>"
    }

    /// A round step (1, 2 or 5 times a power of ten) and how many steps
    /// reach past `maximum`.
    static func ticks(_ maximum: Double) -> (step: Double, count: Int) {
        guard maximum > 0 else { return (1, 1) }
        let rough = maximum / 5
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        return (step, Int((maximum / step).rounded(.up)))
    }

    static func tickLabel(_ value: Double, step: Double) -> String {
        let places = step >= 1 ? 0 : Int(-floor(log10(step)))
        return String(format: "%.\(places)f", value)
    }

    /// Coordinates with at most one decimal, in C notation.
    static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
