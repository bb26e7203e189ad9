package io.seedtest.analytics.report;

import io.seedtest.analytics.config.ReportStorage;
import java.io.Serializable;
import java.time.LocalDate;

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

  /** {@code week_ending=D/user_id=U/<locale>.html}: one folder per week and student, one file per language. */
  static String relativeKey(LocalDate weekEnding, long userId, ReportLocale locale) {
    return "week_ending=" + weekEnding + "/user_id=" + userId + "/" + locale.tag() + ".html";
  }

  static ReportStore of(ReportStorage storage) {
    return storage.s3() ? new S3ReportStore(storage) : new LocalReportStore(storage.url());
  }

  /** A partition's connection to the store. */
  interface Session extends AutoCloseable {
    /**
     * Stores {@code bytes} under {@code key} unless the object there already has checksum
     * {@code sha256}; returns where it is and whether it was written.
     */
    Stored put(String key, byte[] bytes, String sha256);

    @Override
    void close();
  }

  record Stored(String url, boolean written) {}
}
