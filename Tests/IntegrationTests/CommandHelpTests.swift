import Testing
@testable import keen_reports

/// Word for word, the help of the commands HelpTests does not spell out,
/// from each command's own definition, with no process and no database: a
/// change to an option, its type or its help shows here. (The typed options
/// parse through a transform, which shows no default of its own; the help
/// texts say the defaults, and these tests keep them said.)
@Suite struct CommandHelpTests {

    @Test func theRunCommandsHelp() {
        #expect(KeenReportsCommand.helpMessage(for: RunCommand.self, columns: 80) == """
            OVERVIEW: Run reports over a window and write <output-dir>/<report>.csv and
            .json (and .xlsx).

            Several reports in one run share one read-only snapshot; no file appears unless
            every report succeeded.

            USAGE: keen-reports run [<options>] <reports> ... --from <WHEN> --to <WHEN>

            ARGUMENTS:
              <reports>               Reports to run, as 'list' names them.

            OPTIONS:
              --from <WHEN>           Start of the window, inclusive: YYYY-MM-DD (midnight
                                      in --tz) or an RFC 3339 timestamp.
              --to <WHEN>             End of the window, exclusive: YYYY-MM-DD or an RFC
                                      3339 timestamp.
              --tz <ZONE>             IANA time zone where days and hours begin. (default:
                                      UTC)
              --user-id <UUID>        Only this user's rows (for trees, the root's user).
              --format <LIST>         Comma-separated list of csv, json, xlsx, or all.
                                      (default: csv,json)
              --output-dir <DIR>      Folder for the files; created when missing. (default:
                                      output)
              --no-formula-guard      Do not prefix text cells that start with =, +, -, @,
                                      tab or CR with a quote.
              --jobs <jobs>           Connections sharing the run's snapshot for reports
                                      that can split their scan (session_usage). (default:
                                      1)
              --database-url <URL>    libpq connection URI or key=value string (default:
                                      KEEN_DATABASE_URL, else DATABASE_URL, else libpq's
                                      PG* defaults); nightly takes several.
              --statement-timeout <DURATION>
                                      Longest a single query may run, e.g. 30s, 15min, 2h;
                                      0 for no limit. (default: 1h)
              --primary-url <URL>     On a standby, wait until it has replayed this
                                      primary's current WAL insert position (instead of
                                      judging by the last replayed transaction's time).
              --replica-wait <DURATION>
                                      Longest to wait for a standby to be fresh enough,
                                      then exit 75. (default: 10min)
              --catalog <DIR>         Folder holding reports/ and queries/ (default:
                                      KEEN_REPORTS_CATALOG, else found next to the
                                      executable or the working directory).
              --version               Show the version.
              -h, --help              Show help information.

            """)
    }

    @Test func theReconcileCommandsHelp() {
        #expect(KeenReportsCommand.helpMessage(for: ReconcileCommand.self, columns: 80) == """
            OVERVIEW: Check that the credit ledger adds up and agrees with Stripe.

            Writes reconciliation_summary.json and reconciliation_discrepancies.csv / .json
            (reconciliation.xlsx with --format xlsx). With --mark, also changes
            credit_transactions.reconciliation_status and writes reconciliation_marks.csv /
            .json. Exits 0 when clean, 1 when any discrepancy is found, 65 when the Stripe
            export is malformed, 77 when the role lacks a privilege --mark needs.

            USAGE: keen-reports reconcile [<options>] --from <WHEN> --to <WHEN>

            OPTIONS:
              --from <WHEN>           Start of the window, inclusive: YYYY-MM-DD (midnight
                                      in --tz) or an RFC 3339 timestamp.
              --to <WHEN>             End of the window, exclusive: YYYY-MM-DD or an RFC
                                      3339 timestamp.
              --tz <ZONE>             IANA time zone where days and hours begin. (default:
                                      UTC)
              --stripe-export <FILE>  A payments export from Stripe's dashboard (CSV) to
                                      match the ledger's purchases against.
              --tolerance <DECIMAL>   Let through checks that compare two amounts when they
                                      differ by at most this many credits. (default: 0)
              --metrics-tz <ZONE>     The zone system_metrics counts its days in, for its
                                      money counters against the ledger. (default: UTC)
              --output-dir <DIR>      Folder for the files; created when missing. (default:
                                      output)
              --mark                  Then mark the ledger: disputed for every transaction
                                      a discrepancy names, reconciled for purchases Stripe
                                      collected exactly (needs --stripe-export).
              --dry-run               With --mark: write every file as if marking, change
                                      nothing.
              --format <LIST>         Comma-separated list of csv, json, xlsx, or all.
                                      (default: csv,json)
              --database-url <URL>    libpq connection URI or key=value string (default:
                                      KEEN_DATABASE_URL, else DATABASE_URL, else libpq's
                                      PG* defaults); nightly takes several.
              --statement-timeout <DURATION>
                                      Longest a single query may run, e.g. 30s, 15min, 2h;
                                      0 for no limit. (default: 1h)
              --primary-url <URL>     On a standby, wait until it has replayed this
                                      primary's current WAL insert position (instead of
                                      judging by the last replayed transaction's time).
              --replica-wait <DURATION>
                                      Longest to wait for a standby to be fresh enough,
                                      then exit 75. (default: 10min)
              --catalog <DIR>         Folder holding reports/ and queries/ (default:
                                      KEEN_REPORTS_CATALOG, else found next to the
                                      executable or the working directory).
              --version               Show the version.
              -h, --help              Show help information.

            """)
    }

    @Test func theNightlyCommandsHelp() {
        #expect(KeenReportsCommand.helpMessage(for: NightlyCommand.self, columns: 80) == """
            OVERVIEW: Run every nightly report and the reconciliation for a day into
            <output-dir>/<date>/.

            All reports of a day see one snapshot of the database, shared by --jobs
            connections. The day's folder is built aside and swapped in whole,
            manifest.json last. Exit status: 0 clean, 1 reconciliation discrepancies, 70 a
            report failed (the others are still written) or a delivery failed, 75 another
            nightly run holds the lock on the output folder. With --deliver, each day is
            sent by email and webhook once it is in place.

            USAGE: keen-reports nightly <options>

            OPTIONS:
              --date <YYYY-MM-DD>     The day (default: yesterday in --tz).
              --from-date <YYYY-MM-DD>
                                      First day of a backfill (inclusive); needs --to-date.
              --to-date <YYYY-MM-DD>  Last day of a backfill (inclusive).
              --tz <ZONE>             IANA time zone where days begin. (default: UTC)
              --jobs <jobs>           Connections working in parallel, sharing one
                                      snapshot. (default: 2)
              --stripe-export <FILE>  A Stripe payments export for the reconciliation.
              --tolerance <DECIMAL>   Let through checks that compare two amounts when they
                                      differ by at most this many credits. (default: 0)
              --metrics-tz <ZONE>     The zone system_metrics counts its days in, for its
                                      money counters against the ledger. (default: UTC)
              --output-dir <DIR>      Folder under which each day's folder is written.
                                      (default: output)
              --metrics-file <PATH>   Write Prometheus text-format metrics here
                                      (node_exporter textfile collector).
              --log-format <log-format>
                                      text or json (one JSON object per line). (values:
                                      text, json; default: text)
              --full                  Reconcile the whole ledger tonight instead of
                                      starting from the last checkpoint.
              --full-every <DAYS>     Reconcile the whole ledger at least once every this
                                      many days. (default: 7)
              --deliver <FILE>        A delivery file (YAML): who gets each day by email
                                      and webhook (default: KEEN_REPORTS_DELIVERY).
              --format <LIST>         Comma-separated list of csv, json, xlsx, or all.
                                      (default: csv,json)
              --database-url <URL>    libpq connection URI or key=value string (default:
                                      KEEN_DATABASE_URL, else DATABASE_URL, else libpq's
                                      PG* defaults); nightly takes several.
              --statement-timeout <DURATION>
                                      Longest a single query may run, e.g. 30s, 15min, 2h;
                                      0 for no limit. (default: 1h)
              --primary-url <URL>     On a standby, wait until it has replayed this
                                      primary's current WAL insert position (instead of
                                      judging by the last replayed transaction's time).
              --replica-wait <DURATION>
                                      Longest to wait for a standby to be fresh enough,
                                      then exit 75. (default: 10min)
              --catalog <DIR>         Folder holding reports/ and queries/ (default:
                                      KEEN_REPORTS_CATALOG, else found next to the
                                      executable or the working directory).
              --version               Show the version.
              -h, --help              Show help information.

            """)
    }

    @Test func theRollupCommandsHelp() {
        #expect(KeenReportsCommand.helpMessage(for: RollupCommand.self, columns: 80) == """
            OVERVIEW: Fill daily_usage_stats with the daily_usage report of each day.

            One transaction per day: the day's rows are upserted on (user_id, date_bucket),
            rows of users no longer in the report deleted, rows already equal left alone. A
            value the table's columns cannot hold fails its day (exit 70) and is never
            clipped. The role needs SELECT as for reports and INSERT, UPDATE, DELETE on
            daily_usage_stats (exit 77 otherwise); a hot standby is refused (exit 64).

            USAGE: keen-reports rollup [--date <YYYY-MM-DD>] [--from-date <YYYY-MM-DD>] [--to-date <YYYY-MM-DD>] [--tz <ZONE>] [--dry-run] [--database-url <URL> ...] [--statement-timeout <DURATION>] [--primary-url <URL>] [--replica-wait <DURATION>] [--catalog <DIR>]

            OPTIONS:
              --date <YYYY-MM-DD>     The day (default: yesterday in --tz).
              --from-date <YYYY-MM-DD>
                                      First day of a backfill (inclusive); needs --to-date.
              --to-date <YYYY-MM-DD>  Last day of a backfill (inclusive).
              --tz <ZONE>             IANA time zone where days begin. (default: UTC)
              --dry-run               Print per day how many rows would be inserted,
                                      updated and deleted; change nothing.
              --database-url <URL>    libpq connection URI or key=value string (default:
                                      KEEN_DATABASE_URL, else DATABASE_URL, else libpq's
                                      PG* defaults); nightly takes several.
              --statement-timeout <DURATION>
                                      Longest a single query may run, e.g. 30s, 15min, 2h;
                                      0 for no limit. (default: 1h)
              --primary-url <URL>     On a standby, wait until it has replayed this
                                      primary's current WAL insert position (instead of
                                      judging by the last replayed transaction's time).
              --replica-wait <DURATION>
                                      Longest to wait for a standby to be fresh enough,
                                      then exit 75. (default: 10min)
              --catalog <DIR>         Folder holding reports/ and queries/ (default:
                                      KEEN_REPORTS_CATALOG, else found next to the
                                      executable or the working directory).
              --version               Show the version.
              -h, --help              Show help information.

            """)
    }

    @Test func theRenderCommandsHelp() {
        #expect(KeenReportsCommand.helpMessage(for: RenderCommand.self, columns: 80) == """
            OVERVIEW: Make the HTML pages again from the files in a day folder or an output
            folder, without the database.

            A day folder (one with manifest.json) gets its index.html; an output folder
            gets every day's page and its own index.html, the list of days. A damaged or
            missing file exits 65 naming it, and no page is written.

            USAGE: keen-reports render <DIR>

            ARGUMENTS:
              <DIR>                   A day folder (<output-dir>/<date>) or an output
                                      folder.

            OPTIONS:
              --version               Show the version.
              -h, --help              Show help information.

            """)
    }

    @Test func theListCommandsHelp() {
        #expect(KeenReportsCommand.helpMessage(for: ListCommand.self, columns: 80) == """
            OVERVIEW: List every report with a one-line description.

            USAGE: keen-reports list [--json] [--catalog <DIR>]

            OPTIONS:
              --json                  Print JSON for programs.
              --catalog <DIR>         Folder holding reports/ and queries/ (default:
                                      KEEN_REPORTS_CATALOG, else found next to the
                                      executable or the working directory).
              --version               Show the version.
              -h, --help              Show help information.

            """)
    }

    @Test func theDescribeCommandsHelp() {
        #expect(KeenReportsCommand.helpMessage(for: DescribeCommand.self, columns: 80) == """
            OVERVIEW: Show a report's parameters, columns and SQL.

            USAGE: keen-reports describe <report> [--catalog <DIR>]

            ARGUMENTS:
              <report>                The report, as 'list' names it.

            OPTIONS:
              --catalog <DIR>         Folder holding reports/ and queries/ (default:
                                      KEEN_REPORTS_CATALOG, else found next to the
                                      executable or the working directory).
              --version               Show the version.
              -h, --help              Show help information.

            """)
    }
}
