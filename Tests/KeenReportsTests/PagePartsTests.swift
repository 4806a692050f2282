import Testing
@testable import KeenReports

/// The pages' pure parts: escaping, chart axes, the top customers.
@Suite struct PagePartsTests {
    @Test func escapesEverythingThatCouldEndTextOrAnAttribute() {
        #expect(HTML.escape(#"<script>alert("x")</script> & 'Co'"#)
                == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;")
        #expect(HTML.escape("Zoë naïve ☕") == "Zoë naïve ☕")
    }

    @Test func ticksAreRoundStepsThatReachPastTheMaximum() {
        #expect(SVGChart.ticks(0) == (1, 1))
        #expect(SVGChart.ticks(7) == (2, 4))
        #expect(SVGChart.ticks(30_000) == (10_000, 3))
        #expect(SVGChart.ticks(0.42) == (0.1, 5))
        #expect(SVGChart.tickLabel(0.3, step: 0.1) == "0.3")
        #expect(SVGChart.tickLabel(20_000, step: 10_000) == "20000")
    }

    @Test func chartsHaveARoleATitleAndEscapedLabels() {
        let svg = SVGChart(title: "Cost <per> tool", kind: .bars, categories: ["<b>", "ok"],
                           series: [.init(name: "cost", values: [1, 2])], xAxis: "tool", yAxis: "cost (USD)").svg
        #expect(svg.hasPrefix("<svg role=\"img\""))
        #expect(svg.contains("<title>Cost &lt;per&gt; tool</title>") && svg.contains("&lt;b&gt;") && !svg.contains("<b>"))
        #expect(svg.contains("cost (USD)"))
    }

    @Test func keepsTheTenLargestCostsTiesByUsername() {
        func customer(_ name: String, _ cost: String) -> DaySections.Customer {
            DaySections.Customer(username: name, userID: name, sessions: 1, totalCost: ExactDecimal(cost)!, totalCostText: cost, tokens: 0)
        }
        var top: [DaySections.Customer] = []
        for index in 0..<30 { top = DaySections.keepTop(top, adding: customer("u\(index)", "\(index % 12).5")) }
        top = DaySections.keepTop(top, adding: customer("a", "11.5"))
        #expect(top.count == 10)
        #expect(top.prefix(4).map(\.username) == ["a", "u11", "u23", "u10"])
        #expect(top.allSatisfy { $0.totalCost >= ExactDecimal("7.5")! } && top.last?.username == "u19")
    }
}
