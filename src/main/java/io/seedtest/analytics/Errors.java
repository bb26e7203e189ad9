package io.seedtest.analytics;

import java.sql.SQLException;

/**
 * The one place user-facing errors are built. Each message: what happened; why; what to do.
 * Exit codes: 2 configuration or usage, 3 another run holds the lock, 4 bad input under
 * --strict, 5 database or storage unreachable, 1 anything else.
 */
public final class Errors {
  public static final int CONFIG = 2;
  public static final int LOCKED = 3;
  public static final int STRICT = 4;
  public static final int UNAVAILABLE = 5;

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

  public static SeedtestException badDate(String option, String value) {
    return new SeedtestException(
        "Option " + option + " '" + value + "' is not a date: expected YYYY-MM-DD (UTC), e.g. 2026-11-25.",
        CONFIG, null);
  }

  public static SeedtestException badWindow(String why) {
    return new SeedtestException("The date window is invalid: " + why + ".", CONFIG, null);
  }

  public static SeedtestException databaseUnreachable(String redactedUrl, SQLException e) {
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

  public static SeedtestException strictQuarantine(String job, long rows, String reasons) {
    return new SeedtestException(
        job + " quarantined " + rows + " rows (" + reasons
            + ") and --strict is set, so the run failed and wrote nothing. Inspect the quarantine table for this run id.",
        STRICT, null);
  }

  public static SeedtestException databaseFailure(String what, SQLException e) {
    if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
      return new SeedtestException(what + " failed: " + describe(e)
          + ". The schema is missing or outdated: run 'seedtest migrate' (or pass --migrate) against this database.",
          CONFIG, e);
    }
    return new SeedtestException(
        what + " failed: " + describe(e) + ". Nothing was committed; the run can be retried.",
        UNAVAILABLE, e);
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

  /** One line from a JDBC error, without the URL or credentials the driver sometimes appends. */
  public static String describe(SQLException e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = msg.indexOf('\n');
    if (nl >= 0) {
      msg = msg.substring(0, nl);
    }
    String state = e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]";
    return msg.trim() + state;
  }
}
