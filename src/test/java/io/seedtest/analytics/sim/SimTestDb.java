package io.seedtest.analytics.sim;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.io.SchemaMigrator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The sim tests' PostgreSQL: the database named by SEEDTEST_TEST_DATABASE_URL (default
 * postgresql://postgres@127.0.0.1:5432/seedtest_test, created when missing), with one fresh,
 * migrated schema per test class so concurrent test classes never see each other's rows.
 */
final class SimTestDb {
  static final String ENV = "SEEDTEST_TEST_DATABASE_URL";
  static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/seedtest_test";

  private SimTestDb() {}

  static String rawUrl() {
    String v = System.getenv(ENV);
    return v == null || v.isBlank() ? DEFAULT_URL : v.trim();
  }

  /** A new schema (dropped first if it exists) with all migrations applied; the URL's search_path is it. */
  static DatabaseUrl freshSchema(String schema) throws SQLException {
    String raw = rawUrl();
    DatabaseUrl base = DatabaseUrl.parse(raw);
    ensureDatabase(base);
    DatabaseUrl url = DatabaseUrl.parse(raw + (raw.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    dropSchema(base, schema);
    try (Connection c = base.connect(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    SchemaMigrator.migrate(url); // the project's Flyway runner, into the schema the URL selects
    return url;
  }

  static void dropSchema(DatabaseUrl db, String schema) throws SQLException {
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** Creates the test database through the server's {@code postgres} database when it is missing. */
  static void ensureDatabase(DatabaseUrl db) throws SQLException {
    String admin = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres";
    try (Connection c = DriverManager.getConnection(admin, db.properties())) {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        ps.setString(1, db.database());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return;
          }
        }
      }
      try (Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE \"" + db.database().replace("\"", "\"\"") + "\"");
      } catch (SQLException e) {
        // another test JVM created it in the meantime
        if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
          throw e;
        }
      }
    }
  }
}
