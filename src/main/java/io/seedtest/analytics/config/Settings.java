package io.seedtest.analytics.config;

import io.seedtest.analytics.Errors;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

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
 *   <li>{@code SEEDTEST_LAKE_WRITES} (true): whether runs also write the lake. Embedded mode has only
 *       the lake, so there it must stay true; with PostgreSQL the lake is the analysts' history (time
 *       travel, notebooks) beside the serving tables, and turning it off saves its write time.
 *   <li>{@code KPI_LOOKBACK_DAYS} (30), {@code METRICS_DEFAULT_TARGET} ("0.0"),
 *       {@code METRICS_USE_BAYESIAN} ("false"): the KPI settings of the mission.
 *   <li>{@code SEEDTEST_MAX_QUARANTINE_SHARE} (0.05, or "5%"): a run whose quarantined share of
 *       the answers in its window exceeds this fails and writes nothing (docs/data-contract.md).
 *   <li>{@code SEEDTEST_PUBLISH_LOCK_TIMEOUT} / {@code SEEDTEST_PUBLISH_STATEMENT_TIMEOUT}: the
 *       publishing transaction's limits ({@link PublishTimeouts}).
 *   <li>{@code SEEDTEST_CHURN_MIN_AUC_GAIN} (0.005): the held-out AUC the churn model must gain over
 *       the best single-feature baseline to serve (docs/metrics.md, the gate).
 *   <li>{@code SEEDTEST_IRT_DRIFT_PER_DAY} (unset: the update rule's 0.002): the ability update's drift,
 *       the same for the batch job update-abilities and the endpoint.
 * </ul>
 *
 * <p>The settings of one component are derived from the same environment map, never read from the
 * process: {@link SparkSettings} (the local Spark session) and serve.ServeSettings (the endpoint).
 * The CLI hands the map in ({@code SeedtestCli.run(args, env)}); only its main method reads the
 * process environment.
 */
public record Settings(
    Optional<DatabaseUrl> database,
    String lake,
    int kpiLookbackDays,
    double defaultTarget,
    boolean useBayesian,
    int jdbcPartitions,
    boolean lakeWrites,
    double maxQuarantineShare,
    PublishTimeouts publishTimeouts,
    double churnMinAucGain,
    OptionalDouble irtDriftPerDay) {

  public static final String DATABASE_URL = "DATABASE_URL";
  public static final String DATABASE_URL_FILE = "DATABASE_URL_FILE";
  public static final String LAKE = "SEEDTEST_LAKE";
  public static final String KPI_LOOKBACK_DAYS = "KPI_LOOKBACK_DAYS";
  public static final String METRICS_DEFAULT_TARGET = "METRICS_DEFAULT_TARGET";
  public static final String METRICS_USE_BAYESIAN = "METRICS_USE_BAYESIAN";
  public static final String JDBC_PARTITIONS = "SEEDTEST_JDBC_PARTITIONS";
  public static final String LAKE_WRITES = "SEEDTEST_LAKE_WRITES";
  public static final String MAX_QUARANTINE_SHARE = "SEEDTEST_MAX_QUARANTINE_SHARE";
  public static final double DEFAULT_MAX_QUARANTINE_SHARE = 0.05;
  public static final String CHURN_MIN_AUC_GAIN = "SEEDTEST_CHURN_MIN_AUC_GAIN";
  public static final String IRT_DRIFT_PER_DAY = "SEEDTEST_IRT_DRIFT_PER_DAY";
  /**
   * The churn gate's margin, held-out AUC over the best single-feature baseline. Not the issue's
   * quality target (+0.02 on the scored day): one held-out week measures the gain only to about
   * ±0.01, and a model that gains +0.016–0.018 there gained +0.022 on the day it scored (docs/metrics.md).
   */
  public static final double DEFAULT_CHURN_MIN_AUC_GAIN = 0.005;

  /** Settings that write the lake, with the default quarantine threshold and publish timeouts. */
  public Settings(Optional<DatabaseUrl> database, String lake, int kpiLookbackDays, double defaultTarget,
      boolean useBayesian, int jdbcPartitions) {
    this(database, lake, kpiLookbackDays, defaultTarget, useBayesian, jdbcPartitions, true,
        DEFAULT_MAX_QUARANTINE_SHARE, PublishTimeouts.DEFAULTS,
        DEFAULT_CHURN_MIN_AUC_GAIN, OptionalDouble.empty());
  }

  /** Settings with a local lake folder (tests and tools). */
  public Settings(Optional<DatabaseUrl> database, Path lake, int kpiLookbackDays, double defaultTarget,
      boolean useBayesian, int jdbcPartitions) {
    this(database, lake.toAbsolutePath().normalize().toString(), kpiLookbackDays, defaultTarget, useBayesian,
        jdbcPartitions, true, DEFAULT_MAX_QUARANTINE_SHARE, PublishTimeouts.DEFAULTS,
        DEFAULT_CHURN_MIN_AUC_GAIN, OptionalDouble.empty());
  }

  /** These settings with lake writes on or off (checked as {@link #load} checks them). */
  public Settings withLakeWrites(boolean on) {
    Settings s = new Settings(database, lake, kpiLookbackDays, defaultTarget, useBayesian, jdbcPartitions, on,
        maxQuarantineShare, publishTimeouts, churnMinAucGain, irtDriftPerDay);
    s.requireAStore();
    return s;
  }

  /** The same settings with other publish timeouts. */
  public Settings withPublishTimeouts(PublishTimeouts timeouts) {
    return new Settings(database, lake, kpiLookbackDays, defaultTarget, useBayesian, jdbcPartitions, lakeWrites,
        maxQuarantineShare, timeouts, churnMinAucGain, irtDriftPerDay);
  }

  /** Reads the settings; {@code databaseUrlFlag} / {@code lakeFlag} override the environment when non-null. */
  public static Settings load(Map<String, String> env, String databaseUrlFlag, String lakeFlag) {
    return load(env, databaseUrlFlag, lakeFlag, null);
  }

  /** As {@link #load(Map, String, String)}, with {@code lakeWritesFlag} (when non-null) over SEEDTEST_LAKE_WRITES. */
  public static Settings load(Map<String, String> env, String databaseUrlFlag, String lakeFlag, Boolean lakeWritesFlag) {
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
    boolean lakeWrites = lakeWritesFlag != null ? lakeWritesFlag : bool(env, LAKE_WRITES, true);
    String share = env.get(MAX_QUARANTINE_SHARE);
    Settings s = new Settings(db, lake, lookback, target, bayes, parts, lakeWrites,
        share == null || share.isBlank() ? DEFAULT_MAX_QUARANTINE_SHARE : share(MAX_QUARANTINE_SHARE, share),
        PublishTimeouts.load(env), env.get(CHURN_MIN_AUC_GAIN) == null || env.get(CHURN_MIN_AUC_GAIN).isBlank()
            ? DEFAULT_CHURN_MIN_AUC_GAIN : churnGain(CHURN_MIN_AUC_GAIN, env.get(CHURN_MIN_AUC_GAIN)),
        irtDriftPerDay(env));
    s.requireAStore();
    return s;
  }

  /** Embedded mode without lake writes would compute and keep nothing: refused before any work starts. */
  private void requireAStore() {
    if (!lakeWrites && database.isEmpty()) {
      throw Errors.badSetting(LAKE_WRITES, "false",
          "true without DATABASE_URL (embedded mode stores its results only in the lake)");
    }
  }

  /** The same settings with another quarantine threshold (the --max-quarantine-share flag). */
  public Settings withMaxQuarantineShare(double share) {
    return new Settings(database, lake, kpiLookbackDays, defaultTarget, useBayesian, jdbcPartitions, lakeWrites,
        share, publishTimeouts, churnMinAucGain, irtDriftPerDay);
  }

  /** The same settings with another churn-gate margin (the --churn-min-auc-gain flag). */
  public Settings withChurnMinAucGain(double gain) {
    return new Settings(database, lake, kpiLookbackDays, defaultTarget, useBayesian, jdbcPartitions, lakeWrites,
        maxQuarantineShare, publishTimeouts, churnGain(CHURN_MIN_AUC_GAIN, Double.toString(gain)), irtDriftPerDay);
  }

  /** The same settings with another drift of the ability update (the --drift-per-day flag). */
  public Settings withIrtDriftPerDay(double drift) {
    return new Settings(database, lake, kpiLookbackDays, defaultTarget, useBayesian, jdbcPartitions, lakeWrites,
        maxQuarantineShare, publishTimeouts, churnMinAucGain, OptionalDouble.of(drift("--drift-per-day",
        Double.toString(drift))));
  }

  /**
   * {@value #IRT_DRIFT_PER_DAY}, shared by the endpoint and the batch job; empty when unset, and
   * the update rule then uses its own default (session.UpdateRule, which says where it comes from).
   */
  public static OptionalDouble irtDriftPerDay(Map<String, String> env) {
    String v = env.get(IRT_DRIFT_PER_DAY);
    return v == null || v.isBlank() ? OptionalDouble.empty() : OptionalDouble.of(drift(IRT_DRIFT_PER_DAY, v));
  }

  /** A drift: a variance of θ per day, at least 0. */
  static double drift(String name, String raw) {
    try {
      double d = Double.parseDouble(raw.trim());
      if (d >= 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // the error below says what is expected
    }
    throw Errors.badSetting(name, raw, "a variance per day >= 0, e.g. 0.002");
  }

  /** A churn-gate margin: an AUC difference from 0 (any gain) to 0.5. */
  public static double churnGain(String name, String raw) {
    try {
      double d = Double.parseDouble(raw.trim());
      if (d >= 0 && d <= 0.5) {
        return d;
      }
    } catch (NumberFormatException e) {
      // the error below says what is expected
    }
    throw Errors.badSetting(name, raw, "an AUC margin from 0 to 0.5 such as 0.02");
  }

  /** A share from 0 to 1 written as a fraction ("0.05") or a percentage ("5%"). */
  public static double share(String name, String raw) {
    String v = raw.trim();
    boolean percent = v.endsWith("%");
    try {
      double d = Double.parseDouble(percent ? v.substring(0, v.length() - 1).trim() : v) / (percent ? 100 : 1);
      if (d >= 0 && d <= 1) {
        return d;
      }
    } catch (NumberFormatException e) {
      // the error below says what is expected
    }
    throw Errors.badSetting(name, raw, "a share from 0 to 1 such as 0.05, or a percentage such as 5%");
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
