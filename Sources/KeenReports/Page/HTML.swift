/// Text for HTML and SVG: every character that could end a text node or an
/// attribute escaped, so data (a username such as `<img src=x onerror=...>`)
/// is always shown as text, never read as markup.
enum HTML {
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(character)
            }
        }
        return output
    }

    /// A table with a caption, a header row and rows of already-formatted
    /// text; `numeric` columns are right-aligned.
    static func table(caption: String, header: [String], rows: [[String]], numeric: Set<Int> = []) -> String {
        var html = "<table><caption>\(escape(caption))</caption><thead><tr>"
        for (index, name) in header.enumerated() {
            html += "<th scope=\"col\"\(numeric.contains(index) ? " class=\"n\"" : "")>\(escape(name))</th>"
        }
        html += "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                html += "<td\(numeric.contains(index) ? " class=\"n\"" : "")>\(escape(cell))</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table>"
    }

    /// The pages' whole stylesheet, inline: nothing is loaded from anywhere.
    /// Sections and charts are kept whole across printed pages.
    static let style = """
        body{font-family:sans-serif;margin:1.5rem auto;max-width:60rem;padding:0 1rem;color:#1d2330;line-height:1.4}
        h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}
        .meta{color:#556;font-size:.9rem}.status{padding:.6rem .8rem;border-radius:.3rem;margin:1rem 0}
        .ok{background:#e6f4ea;border:1px solid #9c9}.warn{background:#fff4e0;border:1px solid #e9b949}.bad{background:#fde8e8;border:1px solid #e88}
        .figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.6rem;margin:1rem 0}
        .figure{border:1px solid #ccd;border-radius:.3rem;padding:.5rem .7rem;overflow-wrap:break-word;hyphens:manual}
        .figure b{display:block;font-size:1.2rem;white-space:nowrap}.figure span{display:block;color:#556;font-size:.85rem}
        .figure .change{font-size:.8rem}
        svg{width:100%;height:auto;max-width:100%}svg text{font-family:sans-serif;font-size:11px;fill:#1d2330}
        table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem}caption{text-align:left;font-weight:bold;padding:.3rem 0}
        th,td{border:1px solid #ccd;padding:.2rem .45rem;text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        details{margin:.4rem 0;overflow-x:auto}summary{cursor:pointer;color:#235}
        section{break-inside:avoid;page-break-inside:avoid}figure{margin:0;break-inside:avoid;page-break-inside:avoid}
        .empty{color:#556;font-style:italic}.nowrap{white-space:nowrap}
        @media print{body{margin:0;max-width:none}details{display:block}details>*{display:block}a{color:inherit;text-decoration:none}
        @page{size:auto;margin:12mm}}
        """
}
