package io.seedtest.analytics;

import java.sql.SQLException;
import java.util.List;

/**
 * The one place user-facing errors are built. Each message: what happened; why; what to do.
 * Exit codes (README, "Exit codes"): 1 unexpected failure (a bug, an Error such as
 * OutOfMemoryError, or data the database rejected: retrying will not help), 2 configuration or
 * usage, 3 another run holds the lock, 4 bad input under --strict, 5 database or storage
 * unreachable (retry), 6 too large a share of the input quarantined (nothing written), 7 the
 * publish timed out on a database lock or statement (nothing committed; retry once the blocking
 * session is gone).
 */
public final class Errors {
  public static final int INTERNAL = 1;
  public static final int CONFIG = 2;
  public static final int LOCKED = 3;
  public static final int STRICT = 4;
  public static final int UNAVAILABLE = 5;
  public static final int QUARANTINE_THRESHOLD = 6;
  public static final int TIMEOUT = 7;

  private Errors() {}

  public static SeedtestException badDatabaseUrl(String redactedUrl, String why) {
    return new SeedtestException(
        "DATABASE_URL '" + redactedUrl + "' is not usable: " + why
            + ". Use postgresql://user:password@host:5432/db or jdbc:postgresql://host:5432/db?user=...",
        CONFIG, null);
  }

  public static SeedtestException badSetting(String name, String value, String expected) {
    return new SeedtestException(
        "Setting " + name + "='" + value + "' is invalid: expected " + expected
            + ". Fix the environment variable or the flag and run again.",
        CONFIG, null);
  }

  public static SeedtestException missingServeToken(String tokenSetting) {
    return new SeedtestException(
        "serve needs a bearer token and " + tokenSetting + " is not set: set it (e.g. from a Secret; openssl rand -hex 32)"
            + ", or pass --insecure-no-token to serve without authentication on a trusted network only.",
        CONFIG, null);
  }

  public static SeedtestException badDate(String option, String value) {
    return new SeedtestException(
        "Option " + option + " '" + value + "' is not a date: expected YYYY-MM-DD (UTC), e.g. 2026-11-25.",
        CONFIG, null);
  }

  public static SeedtestException badWindow(String why) {
    return new SeedtestException("The date window is invalid: " + why + ".", CONFIG, null);
  }

  public static SeedtestException databaseUnreachable(String redactedUrl, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("28")) {
      return new SeedtestException(
          "PostgreSQL at " + redactedUrl + " refused the login: " + describe(e)
              + ". Fix the user or password in DATABASE_URL (or the server's pg_hba.conf); retrying will not help.",
          CONFIG, e);
    }
    if ("3D000".equals(state)) {
      return new SeedtestException(
          "PostgreSQL at " + redactedUrl + " has no such database: " + describe(e)
              + ". Fix the database name in DATABASE_URL; retrying will not help.",
          CONFIG, e);
    }
    return new SeedtestException(
        "Cannot connect to PostgreSQL at " + redactedUrl + ": " + describe(e)
            + ". Check host, port, user and password in DATABASE_URL and that the server is up.",
        UNAVAILABLE, e);
  }

  public static SeedtestException missingTable(String table, String redactedUrl) {
    return new SeedtestException(
        "Table or view '" + table + "' does not exist in " + redactedUrl
            + ". Run 'seedtest migrate' (or pass --migrate) to create the schema, or point DATABASE_URL at the platform database.",
        CONFIG, null);
  }

  public static SeedtestException missingLakeTable(String path) {
    return new SeedtestException(
        "No Delta table at " + path
            + ". Run 'seedtest generate' to simulate data into the lake, or set DATABASE_URL to read PostgreSQL.",
        CONFIG, null);
  }

  public static SeedtestException locked(String job, String window) {
    return new SeedtestException(
        "Another run of " + job + " for " + window
            + " is in progress (its lock is held); this run did nothing. Wait for it to finish, or check job_runs.",
        LOCKED, null);
  }

  public static SeedtestException lakeTableBusy(String table, java.time.Duration waited) {
    return new SeedtestException(
        "The lake table " + table + " stayed locked by another writer for " + waited.toMinutes()
            + " min; this run's results are in PostgreSQL (if configured) but not in the lake. Check for a stuck run"
            + " (job_runs, status 'running'), then re-run the same window: the lake MERGE is idempotent.",
        LOCKED, null);
  }

  public static SeedtestException strictQuarantine(String job, long rows, String reasons) {
    return new SeedtestException(
        job + " quarantined " + rows + " rows (" + reasons
            + ") and --strict is set, so the run failed and wrote nothing. Inspect the quarantine table for this run id.",
        STRICT, null);
  }

  public static SeedtestException quarantineThreshold(String job, long quarantined, long inWindow, double share,
      double max, String reasons) {
    return new SeedtestException(String.format(java.util.Locale.ROOT,
        "%s quarantined %d of the window's %d answers (%.1f%%, above the %.1f%% allowed: %s), so the run failed and "
            + "wrote nothing. Fix the source data, or raise --max-quarantine-share / SEEDTEST_MAX_QUARANTINE_SHARE "
            + "if this is expected.", job, quarantined, inWindow, 100 * share, 100 * max, reasons),
        QUARANTINE_THRESHOLD, null);
  }

  public static SeedtestException databaseFailure(String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if ("42P01".equals(state) || "3F000".equals(state)) {
      return new SeedtestException(what + " failed: " + describe(e)
          + ". The schema is missing or outdated: run 'seedtest migrate' (or pass --migrate) against this database.",
          CONFIG, e);
    }
    if ("55P03".equals(state)) {
      return new SeedtestException(what + " timed out waiting for a lock held by another session (" + describe(e)
          + ", SEEDTEST_PUBLISH_LOCK_TIMEOUT). Nothing was committed; find the blocking session in pg_stat_activity"
          + " and retry once it is gone.", TIMEOUT, e);
    }
    if ("57014".equals(state)) {
      return new SeedtestException(what + " was cancelled (" + describe(e)
          + "): the statement ran past SEEDTEST_PUBLISH_STATEMENT_TIMEOUT or an operator cancelled it."
          + " Nothing was committed; raise the setting for large backfills and retry.", TIMEOUT, e);
    }
    int code = exitCode(e);
    return new SeedtestException(what + " failed: " + describe(e) + switch (code) {
      case CONFIG -> ". Check DATABASE_URL, the role's privileges and the schema ('seedtest migrate').";
      case UNAVAILABLE -> ". Nothing was committed; the run can be retried.";
      default -> ". Nothing was committed; the database rejected the statement, so a retry will fail the same way:"
          + " report it with the run id from job_runs.";
    }, code, e);
  }

  /**
   * The exit code of a database error by its SQLSTATE class: what an operator can do about it.
   * Login, unknown database, privileges and missing schema objects are configuration (2); a lost
   * connection, a server shutting down, out of resources, a deadlock or serialization conflict
   * can succeed on a retry (5); lock and statement timeouts are 6; anything else (bad data, a bug)
   * fails again on a retry (1).
   */
  public static int exitCode(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("28") || state.equals("3D000") || state.equals("3F000") || state.equals("42501")
        || state.equals("42P01") || state.equals("42703") || state.equals("42883")) {
      return CONFIG;
    }
    if (state.equals("55P03") || state.equals("57014")) {
      return TIMEOUT;
    }
    if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P") || state.startsWith("40")
        || state.isEmpty()) {
      return UNAVAILABLE;
    }
    return INTERNAL;
  }

  /** A failure nobody anticipated (a bug, an Error): one line naming it and where its stack trace went. */
  public static SeedtestException unexpected(Throwable e, String traceLocation) {
    String msg = e.getMessage() == null ? "" : ": " + firstLine(e.getMessage());
    return new SeedtestException("unexpected failure, " + e.getClass().getName() + msg
        + ". Nothing was committed unless job_runs says succeeded. Stack trace: " + traceLocation
        + ". Re-running will likely fail the same way: report it with that file.", INTERNAL, e);
  }

  /** The first line of a message, at most 300 characters, with any credentials in a URL masked. */
  public static String firstLine(String message) {
    int nl = message.indexOf('\n');
    String line = (nl < 0 ? message : message.substring(0, nl)).strip();
    line = redact(line);
    return line.length() <= 300 ? line : line.substring(0, 300) + "…";
  }

  /**
   * Best-effort masking of the password in any URL inside {@code text} (possibly malformed), for
   * messages, stack trace files and printed arguments. It lives here, not in config's DatabaseUrl,
   * because every package (config too) builds its messages with this class.
   */
  public static String redact(String text) {
    return text.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  /** The report store refused our credentials or the bucket (checked before any report is rendered). */
  public static SeedtestException reportStorageDenied(String store, String why) {
    return new SeedtestException(
        "The report store " + store + " refused access: " + why
            + ". Check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (the Secret), the bucket name and its policy.",
        CONFIG, null);
  }

  public static SeedtestException reportStorageUnreachable(String store, String why) {
    return new SeedtestException(
        "Cannot reach the report store " + store + ": " + why
            + ". Check SEEDTEST_S3_ENDPOINT / AWS_REGION and the network; nothing was written.",
        UNAVAILABLE, null);
  }

  /** Some reports could not be stored; the rest were, with their report_artifact rows. */
  public static SeedtestException reportsNotStored(long failed, long total, String firstError) {
    return new SeedtestException(
        failed + " of " + total + " reports could not be stored (first error: " + firstError
            + "); they have no report_artifact row. The others were stored; run the same week again to finish.",
        UNAVAILABLE, null);
  }

  /**
   * A file given to {@code seedtest import} that cannot be loaded as it is: names the file, the row
   * (1 = the first data row) and the field, so the person can fix that cell.
   */
  public static SeedtestException badImportFile(String file, long row, String field, String value,
      String why, String what) {
    return new SeedtestException("Cannot import " + file + ": row " + row + ", field " + field
        + (value == null ? "" : " ('" + value + "')") + ": " + why + ". " + what, CONFIG, null);
  }

  /** The file as a whole does not fit the format asked for (missing column, unreadable, empty). */
  public static SeedtestException badImportShape(String file, String why, String what) {
    return new SeedtestException("Cannot import " + file + ": " + why + ". " + what, CONFIG, null);
  }

  /** A run of a watermark-driven job found, at commit, that another run had committed since it started. */
  public static SeedtestException watermarkMoved(String job, Object started, Object current) {
    return new SeedtestException(job + ": the watermark moved during the run (" + started + " -> "
        + current + "): another run committed. Nothing was written by this one; the next run continues.",
        UNAVAILABLE, null);
  }

  /** A calibration committed new item parameters while an ability run was using the old ones. */
  public static SeedtestException itemParamsChanged(String job) {
    return new SeedtestException(job + ": mirt_item_params changed during the run (a calibration committed)."
        + " Nothing was written; the next run redoes the work with the new parameters.", UNAVAILABLE, null);
  }

  public static SeedtestException unknownBenchStage(String label) {
    return new SeedtestException("--stages: unknown stage '" + label + "'; the stages are read, staging-copy,"
        + " merge-transaction, lake-merge, ledger-update.", CONFIG, null);
  }

  public static SeedtestException migrateNeedsDatabase() {
    return new SeedtestException("migrate needs a database: set DATABASE_URL or pass --database-url.", CONFIG, null);
  }

  public static SeedtestException serveNeedsDatabase() {
    return new SeedtestException("serve needs PostgreSQL: set DATABASE_URL (or --database-url). The endpoint updates"
        + " mirt_ability in the platform's database; embedded mode has no endpoint.", CONFIG, null);
  }

  public static SeedtestException cannotListen(java.net.BindException e) {
    return new SeedtestException("Cannot listen on " + e.getMessage() + ". Choose another SEEDTEST_HTTP_PORT / --port"
        + " or SEEDTEST_HTTP_MANAGEMENT_PORT / --management-port, or stop what uses it.", CONFIG, e);
  }

  /** {@code firstLine} is the first line of Flyway's message (the rest is its multi-line report). */
  public static SeedtestException migrationFailed(String redactedUrl, String firstLine, Exception e) {
    return new SeedtestException("Schema migration failed on " + redactedUrl + ": " + firstLine
        + ". Nothing was changed by the failing migration; fix the database or the migration and run 'seedtest migrate' again.",
        CONFIG, e);
  }

  public static SeedtestException badSimulationSetting(String field, Object value, String expected) {
    return new SeedtestException(
        "Simulation setting " + field + "=" + value + " is invalid: expected " + expected
            + ". Fix the generate option and run again.",
        CONFIG, null);
  }

  /** generate found rows in tables it would write, and simulated data must not mix with real data. */
  public static SeedtestException generateTargetNotEmpty(String where, List<String> nonEmpty) {
    return new SeedtestException(
        "generate refused to write into " + where + ": " + String.join(", ", nonEmpty)
            + (nonEmpty.size() == 1 ? " already has rows" : " already have rows")
            + ", and simulated data must not mix with other data. Pass --replace to truncate"
            + " exam_results, item_bank, sim_* and goals first, or point DATABASE_URL at an empty database.",
        CONFIG, null);
  }

  public static SeedtestException generateLakeTruthExists(String lake) {
    return new SeedtestException(
        "generate refused to write the simulated truth into the lake at " + lake + ": it already holds another"
            + " data set's truth (sim_spec, sim_items, sim_students, ...), which the new PostgreSQL data would not"
            + " match. Pass --replace to overwrite it too, or --lake to write the truth somewhere else.",
        CONFIG, null);
  }

  /** One line from a JDBC error, without the URL or credentials the driver sometimes appends. */
  public static String describe(SQLException e) {
    String msg = firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    String state = e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]";
    return msg.trim() + state;
  }
}
