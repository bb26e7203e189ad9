package io.seedtest.analytics.bench;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.features.FeaturesTopicDaily;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The features benchmark's floor: what only moving the rows costs, with PostgreSQL's COPY out of the
 * attempt view and COPY of the result rows into an unlogged table — no job can read and write
 * them faster.
 */
final class CopyFloor {
  static final String COPY_IN = "bench_copy_in";
  private static final String RESULT_COLUMNS = String.join(", ", FeaturesTopicDaily.SPEC.columns());

  private CopyFloor() {}

  /** Runs a {@code COPY ... TO STDOUT} into nothing; returns the rows, and adds the bytes to {@code bytes[0]}. */
  static long copyOut(DatabaseUrl db, String sql, long[] bytes) {
    try (Connection c = db.connect()) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      OutputStream discard = new OutputStream() {
        @Override
        public void write(int b) {
          bytes[0]++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
          bytes[0] += len;
        }
      };
      return copy.copyOut(sql, discard);
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("COPY out failed: " + e.getMessage(), e);
    }
  }

  /** Exports the result rows to a file (untimed), then times COPY of that file into an UNLOGGED table. */
  static double copyIn(DatabaseUrl db, String resultTable, Path file) {
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
        copy.copyOut("COPY " + resultTable + " (" + RESULT_COLUMNS + ") TO STDOUT", os);
      }
      st.execute("DROP TABLE IF EXISTS " + COPY_IN);
      st.execute("CREATE UNLOGGED TABLE " + COPY_IN + " AS SELECT " + RESULT_COLUMNS
          + " FROM features_topic_daily WITH NO DATA");
      long t0 = System.nanoTime();
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
        copy.copyIn("COPY " + COPY_IN + " (" + RESULT_COLUMNS + ") FROM STDIN", in, 1 << 16);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      st.execute("DROP TABLE " + COPY_IN);
      Files.deleteIfExists(file);
      return seconds;
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("COPY in failed: " + e.getMessage(), e);
    }
  }
}
