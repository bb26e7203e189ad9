package io.seedtest.analytics.testing;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.io.SchemaMigrator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real PostgreSQL for tests (bin/test makes sure one runs). Each {@link #fresh} call creates a
 * new schema in the test database, migrated with the project's own Flyway migrations, so test
 * classes never see each other's rows. URL from SEEDTEST_TEST_DATABASE_URL, default
 * postgresql://postgres@127.0.0.1:5432/seedtest_test.
 *
 * <p>Every schema made here is remembered until {@link #drop} drops it; whatever a test class
 * leaves behind, {@link DropTestSchemas} drops after the class, so runs do not pile up schemas.
 */
public final class TestDatabase {
  public static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/seedtest_test";

  /** Schemas made in this JVM and not dropped yet. */
  private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

  private TestDatabase() {}

  public static String baseUrl() {
    String env = System.getenv("SEEDTEST_TEST_DATABASE_URL");
    return env == null || env.isBlank() ? DEFAULT_URL : env;
  }

  /** A new, migrated schema; the returned URL selects it through currentSchema. */
  public static DatabaseUrl fresh(String prefix) {
    DatabaseUrl url = empty(prefix);
    SchemaMigrator.migrate(url);
    return url;
  }

  /** An empty schema without migrations (for "missing table" tests). */
  public static DatabaseUrl empty(String prefix) {
    ensureDatabase();
    String schema = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8)).toLowerCase();
    try (Connection c = DatabaseUrl.parse(baseUrl()).connect(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    CREATED.add(schema);
    return DatabaseUrl.parse(withSchema(baseUrl(), schema));
  }

  /** Drops the schema a {@link #fresh} or {@link #empty} URL selects. */
  public static void drop(DatabaseUrl db) {
    String schema = db.jdbcUrl().replaceAll(".*[?&]currentSchema=([A-Za-z0-9_]+).*", "$1");
    execute(DatabaseUrl.parse(baseUrl()), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    CREATED.remove(schema);
  }

  /**
   * Drops every schema made in this JVM and not dropped yet. A lock timeout, so a connection a
   * test left open makes the class fail with the schema's name instead of hanging the build.
   */
  static void dropAllCreated() {
    if (CREATED.isEmpty()) {
      return;
    }
    try (Connection c = DatabaseUrl.parse(baseUrl()).connect(); Statement st = c.createStatement()) {
      st.execute("SET lock_timeout = '30s'");
      for (String schema : List.copyOf(CREATED)) {
        try {
          st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
          throw new IllegalStateException("cannot drop test schema " + schema + ": " + e.getMessage(), e);
        }
        CREATED.remove(schema);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the test schemas " + CREATED + ": " + e.getMessage(), e);
    }
  }

  static String withSchema(String url, String schema) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** Runs a query and returns its rows as lists, for assertions. */
  public static List<List<Object>> query(DatabaseUrl db, String sql) {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<List<Object>> out = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public static long count(DatabaseUrl db, String sql) {
    return ((Number) query(db, sql).get(0).get(0)).longValue();
  }

  public static void execute(DatabaseUrl db, String sql) {
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static synchronized void ensureDatabase() {
    DatabaseUrl base = DatabaseUrl.parse(baseUrl());
    String admin = baseUrl().replaceFirst("/" + base.database() + "(\\?|$)", "/postgres$1");
    try (Connection c = DatabaseUrl.parse(admin).connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + base.database() + "'")) {
      if (!rs.next()) {
        st.execute("CREATE DATABASE " + base.database());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot prepare the test database: " + e.getMessage(), e);
    }
  }
}
