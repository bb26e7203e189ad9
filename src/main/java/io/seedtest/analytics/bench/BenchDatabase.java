package io.seedtest.analytics.bench;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's own database chores: its database and per-size schemas, and one-shot statements
 * and queries whose failures become the project's one-line errors. Not for the jobs, which write
 * through the upsert protocol.
 */
public final class BenchDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(BenchDatabase.class);

  private BenchDatabase() {}

  static String withSchema(String url, String schema) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** Creates the benchmark's database through the server's {@code postgres} database when missing. */
  public static void ensureDatabase(DatabaseUrl db) {
    String adminUrl = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres";
    try (Connection c = DriverManager.getConnection(adminUrl, db.properties()); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '"
          + db.database().replace("'", "''") + "'")) {
        if (rs.next()) {
          return;
        }
      }
      st.execute("CREATE DATABASE \"" + db.database().replace("\"", "\"\"") + "\"");
      LOG.info("bench: created database {}", db.database());
    } catch (SQLException e) {
      throw Errors.databaseFailure("Creating the benchmark database " + db.database(), e);
    }
  }

  static boolean hasData(DatabaseUrl base, String schema) {
    return queryLong(base, "SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema
        + "' AND tablename IN ('exam_results', 'sim_spec')") == 2
        && queryLong(base, "SELECT count(*) FROM (SELECT 1 FROM " + schema + ".exam_results LIMIT 1) x") > 0;
  }

  static void execute(DatabaseUrl db, String... sql) {
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw Errors.databaseFailure("Benchmark statement '" + sql[0] + "'", e);
    }
  }

  static List<Object> queryRow(DatabaseUrl db, String sql) {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      if (!rs.next()) {
        // A benchmark's own query that returns nothing is a bug in the benchmark, not a user error.
        throw new IllegalStateException("benchmark query returned no row: " + sql);
      }
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.add(rs.getObject(i));
      }
      return row;
    } catch (SQLException e) {
      throw Errors.databaseFailure("Benchmark query", e);
    }
  }

  static List<List<Object>> queryRows(DatabaseUrl db, String sql) {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw Errors.databaseFailure("Benchmark query", e);
    }
  }

  static long queryLong(DatabaseUrl db, String sql) {
    return ((Number) queryRow(db, sql).get(0)).longValue();
  }

  static String queryString(DatabaseUrl db, String sql) {
    return String.valueOf(queryRow(db, sql).get(0));
  }

  /** The first column of every row, as text (null as "null"). */
  static List<String> queryStrings(DatabaseUrl db, String sql) {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(String.valueOf(rs.getString(1)));
      }
      return out;
    } catch (SQLException e) {
      throw Errors.databaseFailure("Benchmark query", e);
    }
  }
}
