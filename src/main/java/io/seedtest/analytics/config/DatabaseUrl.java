package io.seedtest.analytics.config;

import io.seedtest.analytics.Errors;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A PostgreSQL location parsed from DATABASE_URL. Accepts the platform's
 * {@code postgresql://user:pass@host:port/db?opts} (also {@code postgres://}) and a JDBC URL
 * {@code jdbc:postgresql://host:port/db?user=..&password=..}. The password is kept out of the
 * JDBC URL and out of {@link #toString()} so it can never reach a log line.
 */
public final class DatabaseUrl implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> options;

  private DatabaseUrl(String host, int port, String database, String user, String password,
      Map<String, String> options) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.options = options;
  }

  public static DatabaseUrl parse(String raw) {
    if (raw == null || raw.isBlank()) {
      throw Errors.badDatabaseUrl("", "it is empty");
    }
    String s = raw.trim();
    String rest;
    if (s.startsWith("jdbc:postgresql://")) {
      rest = s.substring("jdbc:".length());
    } else if (s.startsWith("postgresql://") || s.startsWith("postgres://")) {
      rest = "postgresql://" + s.substring(s.indexOf("://") + 3);
    } else {
      throw Errors.badDatabaseUrl(Errors.redact(s), "it does not start with postgresql://, postgres:// or jdbc:postgresql://");
    }
    URI uri;
    try {
      uri = new URI(rest);
    } catch (URISyntaxException e) {
      throw Errors.badDatabaseUrl(Errors.redact(s), "it is not a valid URL (" + e.getReason() + ")");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw Errors.badDatabaseUrl(Errors.redact(s), "it names no host");
    }
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String path = uri.getPath() == null ? "" : uri.getPath();
    String db = path.startsWith("/") ? path.substring(1) : path;
    if (db.isEmpty()) {
      throw Errors.badDatabaseUrl(Errors.redact(s), "it names no database");
    }
    Map<String, String> opts = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        if (kv.isEmpty()) {
          continue;
        }
        int eq = kv.indexOf('=');
        String k = decode(eq < 0 ? kv : kv.substring(0, eq));
        String v = eq < 0 ? "" : decode(kv.substring(eq + 1));
        opts.put(k, v);
      }
    }
    String user = opts.remove("user");
    String password = opts.remove("password");
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? password : decode(info.substring(colon + 1));
    }
    if (user == null || user.isEmpty()) {
      throw Errors.badDatabaseUrl(Errors.redact(s), "it names no user");
    }
    return new DatabaseUrl(host, port, db, user, password, opts);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** JDBC URL without credentials; pass {@link #properties()} alongside. */
  public String jdbcUrl() {
    StringBuilder b = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port)
        .append('/').append(database);
    String sep = "?";
    for (Map.Entry<String, String> e : options.entrySet()) {
      b.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = "&";
    }
    return b.toString();
  }

  public Properties properties() {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("ApplicationName", "seedtest-analytics");
    return p;
  }

  /** Options for Spark's JDBC data source (url, user, password, driver). */
  public Map<String, String> sparkOptions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("url", jdbcUrl());
    m.put("user", user);
    if (password != null) {
      m.put("password", password);
    }
    m.put("driver", "org.postgresql.Driver");
    return m;
  }

  /** Opens a connection; failure is a one-line {@link io.seedtest.analytics.SeedtestException}. */
  public Connection connect() {
    try {
      return DriverManager.getConnection(jdbcUrl(), properties());
    } catch (SQLException e) {
      throw Errors.databaseUnreachable(toString(), e);
    }
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  public String user() {
    return user;
  }

  public boolean hasPassword() {
    return password != null;
  }

  /** Safe to log: the password is never part of it. */
  @Override
  public String toString() {
    return "postgresql://" + user + (password == null ? "" : ":***") + "@" + host + ":" + port + "/" + database;
  }
}
