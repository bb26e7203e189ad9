package io.seedtest.analytics.config;

import io.seedtest.analytics.Errors;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the publishing transaction may wait, as PostgreSQL's {@code lock_timeout} and
 * {@code statement_timeout} set for that transaction only. Without them a run waits as long as any
 * other session holds a lock on a target (a tester saw 4+ minutes behind an analyst's open
 * transaction) and the nightly schedule slips silently; with them it fails with exit code 6 and
 * nothing committed.
 *
 * <ul>
 *   <li>{@code SEEDTEST_PUBLISH_LOCK_TIMEOUT} (30s): longest wait for one lock;
 *   <li>{@code SEEDTEST_PUBLISH_STATEMENT_TIMEOUT} (30min): longest single statement (the merge of
 *       a year's backfill takes minutes, not half an hour).
 * </ul>
 * Values in PostgreSQL's units: {@code 500ms}, {@code 30s}, {@code 10min}, {@code 1h}.
 */
public record PublishTimeouts(Duration lockTimeout, Duration statementTimeout) {
  public static final String LOCK_TIMEOUT = "SEEDTEST_PUBLISH_LOCK_TIMEOUT";
  public static final String STATEMENT_TIMEOUT = "SEEDTEST_PUBLISH_STATEMENT_TIMEOUT";
  public static final PublishTimeouts DEFAULTS = new PublishTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(30));

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|min|h)");

  static PublishTimeouts load(Map<String, String> env) {
    return new PublishTimeouts(duration(env, LOCK_TIMEOUT, DEFAULTS.lockTimeout),
        duration(env, STATEMENT_TIMEOUT, DEFAULTS.statementTimeout));
  }

  private static Duration duration(Map<String, String> env, String name, Duration dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    Matcher m = DURATION.matcher(v.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw Errors.badSetting(name, v, "a positive duration with a unit: 500ms, 30s, 10min or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "min" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** The two {@code SET LOCAL} statements for the current transaction. */
  public String[] setLocal() {
    return new String[] {"SET LOCAL lock_timeout = " + lockTimeout.toMillis(),
        "SET LOCAL statement_timeout = " + statementTimeout.toMillis()};
  }
}
