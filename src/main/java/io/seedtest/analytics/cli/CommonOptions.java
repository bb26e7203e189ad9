package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.sim.SimulationSpec;
import picocli.CommandLine.Option;

/** The options every job shares; flags override the environment (see {@link Settings}). */
public final class CommonOptions {
  @Option(names = "--date", paramLabel = "YYYY-MM-DD",
      description = "The UTC day to process (default: yesterday, UTC).")
  String date;

  @Option(names = "--from", paramLabel = "YYYY-MM-DD",
      description = "First day of a backfill (with --to); the range runs as one job, one transaction.")
  String from;

  @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day of a backfill, inclusive.")
  String to;

  @Option(names = "--dry-run", description = "Compute and report, write nothing (no results, no ledger row).")
  boolean dryRun;

  @Option(names = "--strict", description = "Fail the run (writing nothing) if any input row is quarantined.")
  boolean strict;

  @Option(names = "--database-url", paramLabel = "URL",
      description = "PostgreSQL to read and write (overrides DATABASE_URL); postgresql://user:pass@host:5432/db "
          + "or jdbc:postgresql://… Unset: embedded mode, the local lake only.")
  String databaseUrl;

  @Option(names = "--lake", paramLabel = "PATH",
      description = "Root folder of the Delta lake (overrides SEEDTEST_LAKE; default ./lake).")
  String lake;

  @Option(names = "--lake-writes", negatable = true, paramLabel = "",
      description = "Also write the results to the Delta lake (overrides SEEDTEST_LAKE_WRITES; default on). "
          + "With a database, --no-lake-writes skips the lake and its write time; embedded mode needs it on.")
  Boolean lakeWrites;

  @Option(names = "--migrate", description = "Apply pending schema migrations before running.")
  boolean migrate;

  @Option(names = "--max-quarantine-share", paramLabel = "SHARE",
      description = "Fail the run (writing nothing) when more than this share of the window's answers is quarantined: "
          + "0.05 or 5%% (overrides SEEDTEST_MAX_QUARANTINE_SHARE; default 5%%).")
  String maxQuarantineShare;

  @Option(names = "--churn-min-auc-gain", paramLabel = "AUC",
      description = "Held-out AUC a new churn model must gain over the best single-feature baseline to serve "
          + "(else the recency buckets serve; overrides SEEDTEST_CHURN_MIN_AUC_GAIN; default 0.005).")
  String churnMinAucGain;

  public Settings settings() {
    Settings s = Settings.load(System.getenv(), databaseUrl, lake, lakeWrites);
    s = maxQuarantineShare == null ? s
        : s.withMaxQuarantineShare(Settings.share("--max-quarantine-share", maxQuarantineShare));
    return churnMinAucGain == null ? s
        : s.withChurnMinAucGain(Settings.churnGain("--churn-min-auc-gain", churnMinAucGain));
  }

  /** --date, or --from/--to, or yesterday (UTC). */
  public DateWindow window() {
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

  /** The arguments as recorded in job_runs: never the database URL (it may hold a password). */
  public String describe(String extra) {
    StringBuilder b = new StringBuilder();
    if (date != null) {
      b.append(" --date ").append(date);
    }
    if (from != null) {
      b.append(" --from ").append(from).append(" --to ").append(to);
    }
    if (dryRun) {
      b.append(" --dry-run");
    }
    if (strict) {
      b.append(" --strict");
    }
    if (lakeWrites != null) {
      b.append(lakeWrites ? " --lake-writes" : " --no-lake-writes");
    }
    if (maxQuarantineShare != null) {
      b.append(" --max-quarantine-share ").append(maxQuarantineShare);
    }
    if (churnMinAucGain != null) {
      b.append(" --churn-min-auc-gain ").append(churnMinAucGain);
    }
    if (extra != null && !extra.isEmpty()) {
      b.append(' ').append(extra);
    }
    return b.toString().trim();
  }

  /** Fails with the one-line bad-setting error, before any work starts, unless {@code value} is at least 1. */
  static void requirePositive(String flag, long value) {
    if (value < 1) {
      throw Errors.badSetting(flag, Long.toString(value), "a positive whole number");
    }
  }

  /** The same for a simulated span in days (the simulator's own bounds, checked before Spark starts). */
  static void requireSimulatedDays(int days) {
    if (days < 1 || days > SimulationSpec.MAX_DAYS) {
      throw Errors.badSetting("--days", Integer.toString(days), "a whole number from 1 to " + SimulationSpec.MAX_DAYS);
    }
  }
}
