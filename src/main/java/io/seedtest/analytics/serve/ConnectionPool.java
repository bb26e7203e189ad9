package io.seedtest.analytics.serve;

import io.seedtest.analytics.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small, bounded JDBC connection pool on plain JDK classes (no new dependency): at most
 * {@code size} connections, opened on demand, kept in a queue while idle. A borrower waits at most
 * {@code borrowTimeoutMillis} for a free one and otherwise gets an {@link SQLTransientConnectionException}
 * (the endpoint answers 503). A connection whose use failed with a connection error is closed
 * instead of returned, so a database restart heals by itself.
 */
public final class ConnectionPool implements AutoCloseable {
  private final DatabaseUrl db;
  private final Properties properties;
  private final int size;
  private final long borrowTimeoutMillis;
  private final String statementTimeout;
  private final boolean synchronousCommit;
  private final BlockingQueue<Connection> idle;
  private final Semaphore permits;
  private volatile boolean closed;

  /**
   * @param statementTimeout PostgreSQL statement_timeout for every connection (e.g. "10s")
   * @param synchronousCommit false: {@code SET synchronous_commit = off} on every connection
   */
  public ConnectionPool(DatabaseUrl db, int size, long borrowTimeoutMillis, String statementTimeout,
      boolean synchronousCommit) {
    if (size < 1) {
      throw new IllegalArgumentException("pool size must be >= 1");
    }
    this.db = db;
    this.size = size;
    this.borrowTimeoutMillis = borrowTimeoutMillis;
    this.statementTimeout = statementTimeout;
    this.synchronousCommit = synchronousCommit;
    this.idle = new ArrayBlockingQueue<>(size);
    this.permits = new Semaphore(size, true);
    this.properties = db.properties();
    properties.setProperty("ApplicationName", "seedtest-serve");
    properties.setProperty("connectTimeout", "3");
    properties.setProperty("socketTimeout", "30");
    properties.setProperty("tcpKeepAlive", "true");
  }

  public int size() {
    return size;
  }

  /** Connections currently borrowed. */
  public int inUse() {
    return size - permits.availablePermits();
  }

  /** A connection for exclusive use until {@link #release}; opens one when none is idle. */
  public Connection borrow() throws SQLException {
    if (closed) {
      throw new SQLTransientConnectionException("the connection pool is closed", "08003");
    }
    try {
      if (!permits.tryAcquire(borrowTimeoutMillis, TimeUnit.MILLISECONDS)) {
        throw new SQLTransientConnectionException("all " + size + " database connections are busy", "53300");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("interrupted while waiting for a connection", "08000");
    }
    Connection c = idle.poll();
    if (c != null) {
      return c;
    }
    try {
      c = DriverManager.getConnection(db.jdbcUrl(), properties);
      try (Statement st = c.createStatement()) {
        if (statementTimeout != null) {
          st.execute("SET statement_timeout = '" + statementTimeout.replace("'", "") + "'");
        }
        if (!synchronousCommit) {
          st.execute("SET synchronous_commit = off");
        }
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      permits.release();
      throw e;
    }
  }

  /** Gives a connection back; {@code broken} ones are closed (a fresh one is opened next time). */
  public void release(Connection c, boolean broken) {
    if (c == null) {
      return;
    }
    if (broken || closed || !idle.offer(c)) {
      closeQuietly(c);
    }
    permits.release();
  }

  /** True for errors that mean the connection (or the server) is gone: SQLSTATE class 08, 57P0x. */
  public static boolean isConnectionError(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void close() {
    closed = true;
    Connection c;
    while ((c = idle.poll()) != null) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing a broken connection
      }
    }
  }
}
