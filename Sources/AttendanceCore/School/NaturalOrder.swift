/// Forms and year groups in the order people read them: a run of digits compares as a number, so 7A comes before
/// 10A (as text, "10A" sorts first), and the rest compares as written.
public enum NaturalOrder {
    public static func precedes(_ a: String, _ b: String) -> Bool {
        var x = a.unicodeScalars.makeIterator()
        var y = b.unicodeScalars.makeIterator()
        var left = x.next()
        var right = y.next()
        while let l = left, let r = right {
            if l.properties.numericType == .decimal, r.properties.numericType == .decimal {
                // Whole runs of digits, compared as numbers (leading zeros do not count).
                var first = 0
                var second = 0
                while let digit = left, let value = digit.properties.numericValue,
                    digit.properties.numericType == .decimal
                {
                    first = first &* 10 &+ Int(value)
                    left = x.next()
                }
                while let digit = right, let value = digit.properties.numericValue,
                    digit.properties.numericType == .decimal
                {
                    second = second &* 10 &+ Int(value)
                    right = y.next()
                }
                if first != second { return first < second }
                continue
            }
            if l != r { return l.value < r.value }
            left = x.next()
            right = y.next()
        }
        return left == nil && right != nil
    }
}
