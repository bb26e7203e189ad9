package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.run.DateWindow;
import picocli.CommandLine.Option;

/** The days a job processes: --date, or a --from/--to backfill (a mixin). */
final class WindowOptions {
  @Option(names = "--date", paramLabel = "YYYY-MM-DD",
      description = "The UTC day to process (default: yesterday, UTC).")
  String date;

  @Option(names = "--from", paramLabel = "YYYY-MM-DD",
      description = "First day of a backfill (with --to); the range runs as one job, one transaction.")
  String from;

  @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day of a backfill, inclusive.")
  String to;

  boolean given() {
    return date != null || from != null || to != null;
  }

  /** --date, or --from/--to, or yesterday (UTC). */
  DateWindow window() {
    if (date != null && (from != null || to != null)) {
      throw Errors.badWindow("give either --date or --from/--to, not both");
    }
    if (date != null) {
      return DateWindow.day(DateWindow.parseDate("--date", date));
    }
    if (from != null || to != null) {
      if (from == null || to == null) {
        throw Errors.badWindow("a backfill needs both --from and --to");
      }
      return new DateWindow(DateWindow.parseDate("--from", from), DateWindow.parseDate("--to", to));
    }
    return DateWindow.yesterdayUtc();
  }

  String describe() {
    return (date != null ? " --date " + date : "") + (from != null ? " --from " + from + " --to " + to : "");
  }
}
