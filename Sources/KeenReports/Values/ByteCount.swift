/// A size as people read it: `812 bytes`, `14.2 KiB`, `10.0 MiB`, `62.4 GiB`.
enum ByteCount {
    static func text(_ bytes: Int64) -> String {
        func tenths(_ unit: Int64) -> String {
            let tenths = (bytes * 10 + unit / 2) / unit
            return "\(tenths / 10).\(tenths % 10)"
        }
        if bytes < 1 << 10 { return "\(bytes) bytes" }
        if bytes < 1 << 20 { return tenths(1 << 10) + " KiB" }
        if bytes < 1 << 30 { return tenths(1 << 20) + " MiB" }
        return tenths(1 << 30) + " GiB"
    }
}
