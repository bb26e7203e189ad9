package io.seedtest.analytics.config;

import io.seedtest.analytics.Errors;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The one configuration loader: environment variables (as the platform names them) with CLI
 * flags taking precedence. Every value is checked here, once, so a job never starts with a
 * setting it cannot use.
 *
 * <ul>
 *   <li>{@code DATABASE_URL}: PostgreSQL source and serving sink; unset = embedded lake mode.
 *       {@code DATABASE_URL_FILE} names a file holding it instead (a mounted Secret), so the
 *       password is not even in the process environment.
 *   <li>{@code SEEDTEST_LAKE}: root of the Delta lake (default {@code ./lake}); a local folder or a
 *       Hadoop URI such as {@code s3a://bucket/analytics}.
 *   <li>{@code KPI_LOOKBACK_DAYS} (30), {@code METRICS_DEFAULT_TARGET} ("0.0"),
 *       {@code METRICS_USE_BAYESIAN} ("false"): the KPI settings of the mission.
 *   <li>{@code SEEDTEST_PUBLISH_LOCK_TIMEOUT} / {@code SEEDTEST_PUBLISH_STATEMENT_TIMEOUT}: the
 *       publishing transaction's limits ({@link PublishTimeouts}).
 * </ul>
 */
public record Settings(
    Optional<DatabaseUrl> database,
    String lake,
    int kpiLookbackDays,
    double defaultTarget,
    boolean useBayesian,
    int jdbcPartitions,
    PublishTimeouts publishTimeouts) {

  public static final String DATABASE_URL = "DATABASE_URL";
  public static final String DATABASE_URL_FILE = "DATABASE_URL_FILE";
  public static final String LAKE = "SEEDTEST_LAKE";
  public static final String KPI_LOOKBACK_DAYS = "KPI_LOOKBACK_DAYS";
  public static final String METRICS_DEFAULT_TARGET = "METRICS_DEFAULT_TARGET";
  public static final String METRICS_USE_BAYESIAN = "METRICS_USE_BAYESIAN";
  public static final String JDBC_PARTITIONS = "SEEDTEST_JDBC_PARTITIONS";

  /** Settings with the default publish timeouts. */
  public Settings(Optional<DatabaseUrl> database, String lake, int kpiLookbackDays, double defaultTarget,
      boolean useBayesian, int jdbcPartitions) {
    this(database, lake, kpiLookbackDays, defaultTarget, useBayesian, jdbcPartitions, PublishTimeouts.DEFAULTS);
  }

  /** Settings with a local lake folder (tests and tools). */
  public Settings(Optional<DatabaseUrl> database, Path lake, int kpiLookbackDays, double defaultTarget,
      boolean useBayesian, int jdbcPartitions) {
    this(database, lake.toAbsolutePath().normalize().toString(), kpiLookbackDays, defaultTarget, useBayesian,
        jdbcPartitions, PublishTimeouts.DEFAULTS);
  }

  /** The same settings with other publish timeouts. */
  public Settings withPublishTimeouts(PublishTimeouts timeouts) {
    return new Settings(database, lake, kpiLookbackDays, defaultTarget, useBayesian, jdbcPartitions, timeouts);
  }

  /** Reads the settings; {@code databaseUrlFlag} / {@code lakeFlag} override the environment when non-null. */
  public static Settings load(Map<String, String> env, String databaseUrlFlag, String lakeFlag) {
    String rawUrl = databaseUrlFlag != null ? databaseUrlFlag : env.get(DATABASE_URL);
    if ((rawUrl == null || rawUrl.isBlank()) && env.get(DATABASE_URL_FILE) != null) {
      rawUrl = readSecretFile(env.get(DATABASE_URL_FILE));
    }
    Optional<DatabaseUrl> db = rawUrl == null || rawUrl.isBlank()
        ? Optional.empty() : Optional.of(DatabaseUrl.parse(rawUrl));
    String lake = normaliseLake(lakeFlag != null ? lakeFlag : env.getOrDefault(LAKE, "lake"));
    int lookback = positiveInt(env, KPI_LOOKBACK_DAYS, 30);
    double target = number(env, METRICS_DEFAULT_TARGET, 0.0);
    boolean bayes = bool(env, METRICS_USE_BAYESIAN, false);
    int parts = positiveInt(env, JDBC_PARTITIONS, 4);
    return new Settings(db, lake, lookback, target, bayes, parts, PublishTimeouts.load(env));
  }

  private static String readSecretFile(String path) {
    try {
      return java.nio.file.Files.readString(Path.of(path)).strip();
    } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
      throw Errors.badSetting(DATABASE_URL_FILE, path, "a readable file holding the database URL (" + e.getMessage() + ")");
    }
  }

  /** Local paths become absolute (logs then say exactly where); URIs (s3a://, file:/) stay as given. */
  static String normaliseLake(String raw) {
    String v = raw.trim();
    if (v.isEmpty()) {
      throw Errors.badSetting(LAKE, raw, "a folder or a URI such as s3a://bucket/path");
    }
    return v.matches("^[A-Za-z][A-Za-z0-9+.-]*:/.*") ? v : Path.of(v).toAbsolutePath().normalize().toString();
  }

  /** True when the lake is on this machine's file system. */
  public boolean localLake() {
    return !lake.matches("^[A-Za-z][A-Za-z0-9+.-]*:/.*") || lake.startsWith("file:");
  }

  public static Settings fromEnvironment() {
    return load(System.getenv(), null, null);
  }

  public boolean embedded() {
    return database.isEmpty();
  }

  static int positiveInt(Map<String, String> env, String name, int dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n <= 0) {
        throw Errors.badSetting(name, v, "a positive whole number");
      }
      return n;
    } catch (NumberFormatException e) {
      throw Errors.badSetting(name, v, "a positive whole number");
    }
  }

  static double number(Map<String, String> env, String name, double dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (!Double.isFinite(d)) {
        throw Errors.badSetting(name, v, "a finite number such as 0.5");
      }
      return d;
    } catch (NumberFormatException e) {
      throw Errors.badSetting(name, v, "a finite number such as 0.5");
    }
  }

  static boolean bool(Map<String, String> env, String name, boolean dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    return switch (v.trim().toLowerCase()) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw Errors.badSetting(name, v, "true or false");
    };
  }
}
