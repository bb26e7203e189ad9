package io.seedtest.analytics.report;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.StructType;

/**
 * The SHA-256 of everything one report depends on, stored in report_artifact.input_hash so that a
 * rerun skips a student whose inputs did not change before rendering her page. It is the hash of
 * the run's fingerprint ({@link #fingerprint}: renderer version, template and message bundles,
 * locale, top-N, the recommendation band and the calibrated item pool) followed by her whole input
 * row as JSON ({@link ReportInputs#students}: week rows, P and θ history, topics, recent items).
 * The whole row is hashed, not a list of chosen fields, so a column added to the row later is
 * covered without anyone remembering to add it here.
 */
final class ReportInputHash {
  /**
   * Bump when the page's code changes in a way the template files do not show (the charts, number
   * formats, the renderer or the recommender's rule): every report of a rerun is then rendered again.
   */
  static final String RENDERER_VERSION = "weekly-report/1";
  private static final String[] RESOURCES = {"report/weekly.peb", "report/messages_ko.properties",
      "report/messages_en.properties"};

  private ReportInputHash() {}

  /** The run-wide part of every report's input hash, as hex. */
  static String fingerprint(ReportLocale locale, int topN, ItemPool pool) {
    MessageDigest d = sha256();
    text(d, RENDERER_VERSION);
    text(d, locale.tag());
    d.update(ByteBuffer.allocate(4 + 8 * 3).putInt(topN).putDouble(Recommender.BAND_LOW)
        .putDouble(Recommender.BAND_HIGH).putDouble(Recommender.CONFIDENCE).array());
    for (String r : RESOURCES) {
      try (InputStream in = ReportInputHash.class.getClassLoader().getResourceAsStream(r)) {
        if (in == null) {
          throw new IllegalStateException("report resource " + r + " is missing from the classpath");
        }
        d.update(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    ByteBuffer items = ByteBuffer.allocate(8 * 7 * pool.size() + 4);
    items.putInt(pool.size());
    for (int i = 0; i < pool.size(); i++) {
      items.putLong(pool.itemId[i]).putDouble(pool.a[i]).putDouble(pool.b[i]).putDouble(pool.c[i])
          .putDouble(pool.seA[i]).putDouble(pool.seB[i]).putDouble(pool.seC[i]);
    }
    d.update(items.array());
    for (String t : pool.topic) {
      text(d, t);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /**
   * The input hash of each student row of {@code schema}, computed by Spark: SHA-256 of the
   * fingerprint and the row as JSON. recent_items comes from collect_set, whose order is not
   * fixed, so it is sorted first; the other arrays are already sorted by ReportInputs.
   */
  static Column column(StructType schema, String fingerprint) {
    Column[] fields = Arrays.stream(schema.fieldNames())
        .map(f -> f.equals("recent_items") ? array_sort(col(f)).as(f) : col(f))
        .toArray(Column[]::new);
    return sha2(concat(lit(fingerprint + "\n"), to_json(struct(fields))), 256);
  }

  private static void text(MessageDigest d, String s) {
    byte[] b = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    d.update(ByteBuffer.allocate(4).putInt(s == null ? -1 : b.length).array());
    d.update(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
