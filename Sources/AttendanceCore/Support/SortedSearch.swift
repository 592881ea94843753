extension Array where Element: Comparable {
    /// In an array sorted ascending, the index of the first element not below `value` (`endIndex` if none): a
    /// binary search, for the rules that look up a day's slots in a pupil's year.
    func firstIndex(notBelow value: Element) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
