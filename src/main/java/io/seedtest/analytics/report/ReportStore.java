package io.seedtest.analytics.report;

import io.seedtest.analytics.config.ReportStorage;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.Map;

/**
 * Where report objects go: S3 (or an S3-compatible server) or a local folder. The store itself is
 * a small serializable description shipped to the executors; each partition opens a
 * {@link Session} (one S3 client per partition) and closes it when done.
 */
public interface ReportStore extends Serializable {
  String CONTENT_TYPE = "text/html; charset=utf-8";

  /** Checks on the driver, before anything is rendered, that the store is usable; one clear line if not. */
  void check();

  Session open();

  String describe();

  /**
   * The reports of week {@code weekEnding} in {@code locale} that exist in the store, by student,
   * with their size in bytes: one listing of the week's folder (a page per 1,000 objects in S3),
   * so a rerun learns which objects are there without a HEAD per report. Called on the driver.
   */
  Map<Long, Long> stored(LocalDate weekEnding, ReportLocale locale);

  /** {@code week_ending=D/user_id=U/<locale>.html}: one folder per week and student, one file per language. */
  static String relativeKey(LocalDate weekEnding, long userId, ReportLocale locale) {
    return weekPrefix(weekEnding) + "user_id=" + userId + "/" + locale.tag() + ".html";
  }

  /** {@code week_ending=D/}: the folder of one week's reports. */
  static String weekPrefix(LocalDate weekEnding) {
    return "week_ending=" + weekEnding + "/";
  }

  /**
   * The student of a key under a week's folder ({@code user_id=U/<locale>.html}, relative to
   * {@link #weekPrefix}), or null when the key is some other object (another locale, a temporary file).
   */
  static Long userOf(String relativeToWeek, ReportLocale locale) {
    String tail = "/" + locale.tag() + ".html";
    if (!relativeToWeek.startsWith("user_id=") || !relativeToWeek.endsWith(tail)) {
      return null;
    }
    String id = relativeToWeek.substring("user_id=".length(), relativeToWeek.length() - tail.length());
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static ReportStore of(ReportStorage storage) {
    return storage.s3() ? new S3ReportStore(storage) : new LocalReportStore(storage.url());
  }

  /** A partition's connection to the store. */
  interface Session extends AutoCloseable {
    /**
     * Stores {@code bytes} under {@code key} unless the object there already has checksum
     * {@code sha256}; returns where it is and whether it was written. {@code mayExist} false (the
     * run's listing did not show the object) skips the look at what is there. Thread-safe: a
     * partition keeps a few PUTs in flight on one session.
     */
    Stored put(String key, byte[] bytes, String sha256, boolean mayExist);

    @Override
    void close();
  }

  record Stored(String url, boolean written) {}
}
