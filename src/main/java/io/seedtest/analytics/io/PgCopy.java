package io.seedtest.analytics.io;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.run.PausePoint;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Bulk loads a Dataset into a PostgreSQL table with COPY, one stream per Spark partition (PgJDBC's
 * CopyManager; COPY is an order of magnitude faster than batched INSERTs). Each partition's COPY is
 * one statement, so a task that dies mid-stream leaves nothing behind; a retried task copies again
 * — callers that must not see duplicates copy into a staging table with {@code tagWithAttempt}
 * (see {@link PgUpsertWriter}).
 */
public final class PgCopy {
  private static final int FLUSH_BYTES = 1 << 16;

  private PgCopy() {}

  /**
   * Copies {@code rows} (its columns in the order of {@code columns}) into {@code table}. With
   * {@code tagWithAttempt}, two more columns {@code _part, _attempt} receive the partition id and
   * task attempt id.
   */
  public static void copy(Dataset<Row> rows, DatabaseUrl db, String table, List<String> columns,
      boolean tagWithAttempt) {
    String sql = copySql(table, columns, tagWithAttempt);
    rows.foreachPartition((ForeachPartitionFunction<Row>) it -> copyPartition(it, db, sql, tagWithAttempt));
  }

  static String copySql(String table, List<String> columns, boolean tagWithAttempt) {
    String cols = String.join(", ", columns) + (tagWithAttempt ? ", _part, _attempt" : "");
    return "COPY " + table + " (" + cols + ") FROM STDIN";
  }

  private static void copyPartition(Iterator<Row> it, DatabaseUrl db, String sql, boolean tag) throws SQLException {
    if (!it.hasNext()) {
      return;
    }
    TaskContext tc = TaskContext.get();
    String suffix = tag
        ? "\t" + (tc == null ? 0 : tc.partitionId()) + "\t" + (tc == null ? 0 : tc.taskAttemptId()) : "";
    try (Connection c = db.connect()) {
      copyRows(c, sql, it, suffix);
    }
  }

  /** Streams rows over an open connection; usable from the driver for small tables too. */
  public static long copyRows(Connection c, String sql, Iterator<Row> it, String lineSuffix) throws SQLException {
    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    long n = 0;
    try {
      // rows are appended to one buffer and encoded a chunk at a time: a String and a byte[] per
      // row cost as much as the COPY itself on a million rows
      StringBuilder chunk = new StringBuilder(FLUSH_BYTES + 4096);
      while (it.hasNext()) {
        Row r = it.next();
        for (int i = 0; i < r.length(); i++) {
          if (i > 0) {
            chunk.append('\t');
          }
          appendValue(chunk, r.get(i));
        }
        chunk.append(lineSuffix).append('\n');
        n++;
        if (chunk.length() >= FLUSH_BYTES) {
          write(in, chunk);
        }
      }
      if (chunk.length() > 0) {
        write(in, chunk);
      }
      if (!lineSuffix.isEmpty()) {
        // tagged rows go to a staging table: the kill tests stop here, rows sent, COPY not ended
        PausePoint.reached(PausePoint.Stage.STAGING_COPY);
      }
      in.endCopy();
      return n;
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  private static void write(CopyIn in, StringBuilder chunk) throws SQLException {
    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
    in.writeToCopy(bytes, 0, bytes.length);
    chunk.setLength(0);
  }

  /** COPY text format: \N for null, backslash escapes for the delimiter and line breaks. */
  static void appendValue(StringBuilder b, Object v) {
    if (v == null) {
      b.append("\\N");
    } else if (v instanceof Boolean bool) {
      b.append(bool ? 't' : 'f');
    } else if (v instanceof Double d) {
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("refusing to write a non-finite number (" + d + ") to PostgreSQL");
      }
      b.append(d.doubleValue());
    } else if (v instanceof Timestamp ts) {
      b.append(ts.toInstant());
    } else if (v instanceof Instant ins) {
      b.append(ins);
    } else if (v instanceof java.sql.Date d) {
      b.append(d.toLocalDate());
    } else if (v instanceof LocalDate d) {
      b.append(d);
    } else if (v instanceof Number) {
      b.append(v);
    } else {
      String s = v.toString();
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        switch (ch) {
          case '\\' -> b.append("\\\\");
          case '\t' -> b.append("\\t");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          default -> b.append(ch);
        }
      }
    }
  }

  /** Wraps a JDBC failure during a copy in the one-line error the CLI prints. */
  public static RuntimeException failure(String table, SQLException e) {
    return Errors.databaseFailure("COPY into " + table, e);
  }
}
