/// Rows of a report's JSON as the page shows them: the cells of `columns`,
/// each as text (a number's digits, a decimal's string, empty for null).
/// The page reads a column by its name, never by where it is.
struct PageTable {
    let columns: [String]
    let rows: [[String]]

    /// Column `name`'s cells, top to bottom.
    func column(_ name: String) -> [String] {
        let position = columns.firstIndex(of: name)!  // the page asks only for the columns it read
        return rows.map { $0[position] }
    }

    /// Column `name`'s cells as numbers (an empty or unreadable cell is 0).
    func numbers(_ name: String) -> [Double] { column(name).map { Double($0) ?? 0 } }

    /// The table, with the columns named in `numeric` aligned as numbers.
    func html(caption: String, numeric: Set<String>) -> String {
        HTML.table(caption: caption, header: columns, rows: rows,
                   numeric: Set(columns.indices.filter { numeric.contains(columns[$0]) }))
    }
}
