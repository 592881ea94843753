import AttendanceCore
import AttendanceInterop

/// Percentages week by week as lines, drawn on the server as SVG: a series a line (this year, last year), with
/// reference lines across (the target). An image with a title and a description; the numbers are in the table
/// the page puts beside it.
struct LineChart: Sendable {
    struct Series: Sendable {
        /// What the line is, for its colour and its key: "this-year", "last-year".
        let kind: String
        let label: String
        /// Tenths of a percent a week; nil leaves a gap (a holiday).
        let points: [Int?]
    }

    let id: String
    let title: String
    let description: String
    /// The weeks' labels, one a column ("2 Nov").
    let columns: [String]
    let series: [Series]
    let references: [BarChart.Reference]

    static let width = 640
    static let height = 260
    static let left = 48
    static let right = 16
    static let top = 40
    static let bottom = 36

    /// As the bar chart: from a whole ten below the lowest figure to 100%.
    var axisStart: Int {
        let lowest = (series.flatMap { $0.points.compactMap { $0 } } + references.map(\.tenths)).min() ?? 0
        return max(0, min(900, (lowest / 100) * 100))
    }

    var svg: String {
        let start = axisStart
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        func y(_ tenths: Int) -> Int {
            Self.top + plotHeight - max(0, min(plotHeight, (tenths - start) * plotHeight / max(1, 1000 - start)))
        }
        func x(_ column: Int) -> Int {
            Self.left + (columns.count > 1 ? column * plotWidth / (columns.count - 1) : plotWidth / 2)
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart line-chart" viewBox="0 0 \(Self.width) \
            \(Self.height)" role="img" aria-labelledby="\(id)-title \(id)-desc"><title id="\(id)-title">\
            \(XMLText.escape(title))</title><desc id="\(id)-desc">\(XMLText.escape(description))</desc>
            """
        let step = 1000 - start <= 200 ? 50 : 100
        for tick in stride(from: start, through: 1000, by: step) {
            out += """
                <line class="grid" x1="\(Self.left)" x2="\(Self.width - Self.right)" y1="\(y(tick))" \
                y2="\(y(tick))"/><text class="tick" x="\(Self.left - 6)" y="\(y(tick) + 4)" \
                text-anchor="end">\(tick / 10)%</text>
                """
        }
        // A label every few weeks, so they do not run into each other.
        let every = max(1, (columns.count + 7) / 8)
        for (index, label) in columns.enumerated() where index % every == 0 {
            out += """
                <text class="tick" x="\(x(index))" y="\(Self.height - Self.bottom + 18)" \
                text-anchor="middle">\(XMLText.escape(label))</text>
                """
        }
        for reference in references {
            out += """
                <line class="reference reference-\(reference.kind)" x1="\(Self.left)" \
                x2="\(Self.width - Self.right)" y1="\(y(reference.tenths))" y2="\(y(reference.tenths))"/>
                """
        }
        // The key across the top: each series and reference by name.
        var keyX = Self.left
        for item in series.map({ ($0.kind, $0.label) }) + references.map({ ("reference-" + $0.kind, $0.label) }) {
            out += """
                <rect class="key \(item.0)" x="\(keyX)" y="10" width="14" height="4"/><text class="key-label" \
                x="\(keyX + 18)" y="16">\(XMLText.escape(item.1))</text>
                """
            keyX += 30 + item.1.count * 7
        }
        for line in series {
            // A run of weeks with figures is one path; a gap starts another.
            var runs: [[(Int, Int)]] = [[]]
            for (index, point) in line.points.enumerated() {
                if let point {
                    runs[runs.count - 1].append((x(index), y(point)))
                } else if !runs[runs.count - 1].isEmpty {
                    runs.append([])
                }
            }
            for run in runs where !run.isEmpty {
                let path = run.map { "\($0.0),\($0.1)" }.joined(separator: " ")
                out += "<polyline class=\"series \(line.kind)\" points=\"\(path)\"/>"
                for point in run {
                    out += "<circle class=\"series \(line.kind)\" cx=\"\(point.0)\" cy=\"\(point.1)\" r=\"3\"/>"
                }
            }
        }
        return out + "</svg>"
    }
}

/// Counts in columns (how many schools in each band of attendance), drawn on the server as SVG, with the numbers
/// in a table beside it.
struct ColumnChart: Sendable {
    struct Column: Sendable {
        let label: String
        let count: Int
    }

    let id: String
    let title: String
    let description: String
    let columns: [Column]

    static let width = 640
    static let height = 240
    static let top = 20
    static let bottom = 40
    static let left = 36

    var svg: String {
        let most = max(1, columns.map(\.count).max() ?? 1)
        let plotHeight = Self.height - Self.top - Self.bottom
        let slot = (Self.width - Self.left) / max(1, columns.count)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart column-chart" viewBox="0 0 \(Self.width) \
            \(Self.height)" role="img" aria-labelledby="\(id)-title \(id)-desc"><title id="\(id)-title">\
            \(XMLText.escape(title))</title><desc id="\(id)-desc">\(XMLText.escape(description))</desc>
            """
        for (index, column) in columns.enumerated() {
            let height = column.count * plotHeight / most
            let x = Self.left + index * slot
            let y = Self.top + plotHeight - height
            out += """
                <rect class="bar" x="\(x + 4)" y="\(y)" width="\(max(1, slot - 8))" height="\(height)"/>\
                <text class="value" x="\(x + slot / 2)" y="\(y - 4)" text-anchor="middle">\(column.count)</text>\
                <text class="tick" x="\(x + slot / 2)" y="\(Self.height - Self.bottom + 18)" \
                text-anchor="middle">\(XMLText.escape(column.label))</text>
                """
        }
        return out + "</svg>"
    }
}
