/// `recursion_depth` and `agent_trees`: the trees are built in Swift from a
/// streamed read of their sessions, one tree at a time, and depths are
/// counted from the parent links (the stored `session_depth` can be wrong;
/// the JSON reports how often it is). The query orders trees as agent_trees
/// is ordered, so each tree's row is written as soon as the tree is read and
/// memory holds one tree, whatever the number of trees.
enum RecursionDepthAggregation: ReportAggregation {
    static let name = "recursion_depth"
    static let outputColumns = [
        "recursion_depth": ["depth", "sessions", "trees_reaching", "total_cost", "avg_cost", "total_tokens"],
        "agent_trees": ["root_id", "root_session_id", "user_id", "agents", "max_depth", "total_cost", "total_tokens",
                        "failed_agents", "root_status"],
    ]

    /// One row of `agent_tree_sessions`: a session, and the root of its tree.
    private struct Session: QueryRow {
        let rootID: String
        let id: String
        let parentID: String?
        let storedDepth: Int64
        let totalCost: ExactDecimal
        let tokens: Int64
        let status: String
        let sessionID: String
        let userID: String

        struct Columns {
            let rootID, id, parentID, storedDepth, totalCost, tokens, status, sessionID, userID: Int
        }

        static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
            Columns(rootID: try result.position(of: "root_id"), id: try result.position(of: "id"),
                    parentID: try result.position(of: "parent_id"), storedDepth: try result.position(of: "stored_depth"),
                    totalCost: try result.position(of: "total_cost"), tokens: try result.position(of: "tokens_used"),
                    status: try result.position(of: "execution_status"), sessionID: try result.position(of: "session_id"),
                    userID: try result.position(of: "user_id"))
        }

        init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
            rootID = try row.uuid(columns.rootID) ?? ""
            id = try row.uuid(columns.id) ?? ""
            parentID = try row.uuid(columns.parentID)
            storedDepth = try row.integer(columns.storedDepth) ?? 0
            totalCost = try row.decimal(columns.totalCost) ?? .zero
            tokens = try row.integer(columns.tokens) ?? 0
            status = row.text(columns.status) ?? ""
            sessionID = row.text(columns.sessionID) ?? ""
            userID = try row.uuid(columns.userID) ?? ""
        }
    }

    /// Per depth, over all trees.
    private struct DepthTotals {
        var sessions: Int64 = 0
        var totalCost = ExactDecimal.zero
        var tokens: Int64 = 0
        /// Trees whose deepest session is exactly at this depth.
        var treesEndingHere: Int64 = 0
    }

    static func run(_ context: ReportContext, outputs: ReportOutputs) throws {
        let trees = outputs["agent_trees"]
        var depths: [DepthTotals] = []
        var depthMismatches: Int64 = 0
        var currentRoot: String?
        var tree: [Session] = []

        func finishTree() throws {
            guard let rootID = currentRoot else { return }
            let depthOf = try linkDepths(tree, rootID: rootID)
            var maxDepth = 0
            var totalCost = ExactDecimal.zero
            var tokens: Int64 = 0
            var failed: Int64 = 0
            for session in tree {
                let depth = depthOf[session.id]!
                if depths.count <= depth { depths.append(contentsOf: repeatElement(DepthTotals(), count: depth + 1 - depths.count)) }
                depths[depth].sessions += 1
                depths[depth].totalCost += session.totalCost
                depths[depth].tokens += session.tokens
                if session.storedDepth != Int64(depth) { depthMismatches += 1 }
                maxDepth = max(maxDepth, depth)
                totalCost += session.totalCost
                tokens += session.tokens
                if session.status == "failed" { failed += 1 }
            }
            depths[maxDepth].treesEndingHere += 1
            let root = tree.first { $0.id == rootID }!
            try trees.write(["root_id": .uuid(rootID), "root_session_id": .text(root.sessionID), "user_id": .uuid(root.userID),
                             "agents": .integer(Int64(tree.count)), "max_depth": .integer(Int64(maxDepth)),
                             "total_cost": .decimal(totalCost), "total_tokens": .integer(tokens), "failed_agents": .integer(failed),
                             "root_status": .text(root.status)])
            tree.removeAll(keepingCapacity: true)
        }

        try context.stream("agent_tree_sessions", as: Session.self) { session in
            if session.rootID != currentRoot {
                try finishTree()
                currentRoot = session.rootID
            }
            tree.append(session)
        }
        try finishTree()

        let output = outputs["recursion_depth"]
        var treesReaching = depths.reduce(0) { $0 + $1.treesEndingHere }
        for (depth, totals) in depths.enumerated() {
            try output.write([
                "depth": .integer(Int64(depth)),
                "sessions": .integer(totals.sessions),
                "trees_reaching": .integer(treesReaching),
                "total_cost": .decimal(totals.totalCost),
                "avg_cost": totals.sessions > 0 ? .decimal(totals.totalCost.divided(by: totals.sessions, scale: 6)) : .null,
                "total_tokens": .integer(totals.tokens),
            ])
            treesReaching -= totals.treesEndingHere
        }
        output.jsonExtras.append(("depth_mismatches", .integer(depthMismatches)))
    }

    /// Each session's depth below the root, following parent links.
    private static func linkDepths(_ tree: [Session], rootID: String) throws -> [String: Int] {
        let parents = Dictionary(tree.map { ($0.id, $0.parentID) }, uniquingKeysWith: { first, _ in first })
        var depths: [String: Int] = [rootID: 0]
        for session in tree {
            // Walk up to an ancestor whose depth is known, then fill in the path.
            var path: [String] = []
            var current = session.id
            while depths[current] == nil {
                path.append(current)
                guard let parent = parents[current] ?? nil, path.count <= tree.count else {
                    throw EngineError.engine("session \(current) of the tree rooted at \(rootID) does not lead back to its root")
                }
                current = parent
            }
            var depth = depths[current]!
            for id in path.reversed() {
                depth += 1
                depths[id] = depth
            }
        }
        return depths
    }
}
