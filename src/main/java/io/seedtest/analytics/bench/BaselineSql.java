package io.seedtest.analytics.bench;

import io.seedtest.analytics.features.FeaturesTopicDaily;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL baseline of the benchmark: {@code bench/features_topic_daily_baseline.sql}, one
 * {@code INSERT … SELECT … ON CONFLICT} computing features_topic_daily, with its placeholders
 * filled for a date window. Every value is rendered as a typed SQL literal built here from dates,
 * instants and a UUID, never from user text.
 */
public final class BaselineSql {
  static final String RESOURCE = "/bench/features_topic_daily_baseline.sql";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
  private static final String DEDUP_RANK =
      "row_number() OVER (PARTITION BY v.session_id, v.item_id ORDER BY v.answered_at, v.seq, v.result_id)";

  private BaselineSql() {}

  /**
   * @param from first day written
   * @param to last day written (inclusive)
   * @param fullValidation also drop duplicate answers (same item twice in a session) as the job
   *     does; without it only the row-level rules apply
   */
  public static String render(LocalDate from, LocalDate to, Instant now, boolean checkItems, boolean fullValidation,
      UUID runId) {
    LocalDate lookbackFrom = from.minusDays(FeaturesTopicDaily.IMPROVEMENT_LOOKBACK_DAYS);
    Map<String, String> values = new LinkedHashMap<>();
    values.put("read_from", timestamptz(lookbackFrom));
    values.put("read_to", timestamptz(to.plusDays(2)));
    values.put("lookback_from", date(lookbackFrom));
    values.put("window_from", date(from));
    values.put("to", date(to));
    values.put("now", "'" + now + "'::TIMESTAMPTZ");
    values.put("check_items", Boolean.toString(checkItems));
    values.put("dedup_rank", fullValidation ? DEDUP_RANK : "1");
    values.put("run_id", "'" + runId + "'::UUID");
    return fill(template(), values);
  }

  /** The read window of the job as a predicate on {@code finished_at} (for the COPY floor). */
  public static String readWindow(LocalDate from, LocalDate to) {
    LocalDate lookbackFrom = from.minusDays(FeaturesTopicDaily.IMPROVEMENT_LOOKBACK_DAYS);
    return "finished_at >= " + timestamptz(lookbackFrom) + " AND finished_at < " + timestamptz(to.plusDays(2));
  }

  static String fill(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        throw new IllegalStateException("no value for {{" + m.group(1) + "}} in " + RESOURCE);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String template() {
    try (InputStream in = BaselineSql.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String timestamptz(LocalDate d) {
    return "'" + d + "T00:00:00Z'::TIMESTAMPTZ";
  }

  private static String date(LocalDate d) {
    return "DATE '" + d + "'";
  }
}
