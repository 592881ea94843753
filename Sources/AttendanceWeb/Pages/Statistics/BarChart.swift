import AttendanceCore
import AttendanceInterop

/// A horizontal bar chart of percentages, drawn on the server as SVG (no script, no library in the browser): one
/// bar a line, with reference lines (the target, the whole school) across them. It is an image with a title and a
/// description; the numbers are in the table beside it, which is what a screen reader is pointed to.
struct BarChart: Sendable {
    struct Bar: Sendable {
        let label: String
        /// Tenths of a percent; nil draws no bar (no sessions, or a figure that is not shown).
        let tenths: Int?
        /// What is written at the bar's end instead of the figure when there is none ("hidden").
        let missing: String
        /// Drawn in the warning colour (below the target).
        let isBelow: Bool
    }

    struct Reference: Sendable {
        /// What the line is, for its colour: "target" or "school".
        let kind: String
        let label: String
        let tenths: Int
    }

    let id: String
    let title: String
    let description: String
    let bars: [Bar]
    let references: [Reference]

    static let width = 640
    static let labelWidth = 170
    static let valueWidth = 56
    static let rowHeight = 26
    static let top = 34

    /// The axis starts at a whole ten below the lowest figure (never below 0) so differences of a point can be
    /// seen; its first label says where it starts.
    var axisStart: Int {
        let lowest = (bars.compactMap(\.tenths) + references.map(\.tenths)).min() ?? 0
        return max(0, min(900, (lowest / 100) * 100))
    }

    var svg: String {
        let plot = Self.width - Self.labelWidth - Self.valueWidth
        let start = axisStart
        func x(_ tenths: Int) -> Int {
            Self.labelWidth + max(0, min(plot, (tenths - start) * plot / max(1, 1000 - start)))
        }
        let height = Self.top + bars.count * Self.rowHeight + 24
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(Self.width) \(height)" \
            role="img" aria-labelledby="\(id)-title \(id)-desc"><title id="\(id)-title">\(XMLText.escape(title))</title>\
            <desc id="\(id)-desc">\(XMLText.escape(description))</desc>
            """
        // The axis: a tick every ten points (five when the axis is short).
        let step = 1000 - start <= 200 ? 50 : 100
        for tick in stride(from: start, through: 1000, by: step) {
            out += """
                <line class="grid" x1="\(x(tick))" x2="\(x(tick))" y1="\(Self.top - 4)" \
                y2="\(height - 22)"/><text class="tick" x="\(x(tick))" y="\(height - 6)" \
                text-anchor="middle">\(tick / 10)%</text>
                """
        }
        for (index, bar) in bars.enumerated() {
            let y = Self.top + index * Self.rowHeight
            out += """
                <text class="label" x="\(Self.labelWidth - 8)" y="\(y + 17)" \
                text-anchor="end">\(XMLText.escape(Self.clipped(bar.label)))</text>
                """
            if let tenths = bar.tenths {
                out += """
                    <rect class="bar\(bar.isBelow ? " below" : "")" x="\(Self.labelWidth)" y="\(y + 4)" \
                    width="\(max(1, x(tenths) - Self.labelWidth))" height="\(Self.rowHeight - 8)"/>\
                    <text class="value" x="\(x(tenths) + 4)" y="\(y + 17)">\(Tenths.percentText(tenths))</text>
                    """
            } else {
                out += """
                    <text class="value" x="\(Self.labelWidth + 4)" y="\(y + 17)">\(XMLText.escape(bar.missing))</text>
                    """
            }
        }
        for (index, reference) in references.enumerated() {
            let position = x(reference.tenths)
            out += """
                <line class="reference reference-\(reference.kind)" x1="\(position)" x2="\(position)" y1="\(Self.top - 6)" \
                y2="\(height - 22)"/><text class="reference-label reference-\(reference.kind)" x="\(position)" \
                y="\(12 + index * 14)" text-anchor="middle">\(XMLText.escape(reference.label))</text>
                """
        }
        return out + "</svg>"
    }

    /// A label longer than the column holds is cut with an ellipsis (the table beside has it whole).
    static func clipped(_ label: String) -> String { label.count > 21 ? label.prefix(20) + "…" : label }
}
