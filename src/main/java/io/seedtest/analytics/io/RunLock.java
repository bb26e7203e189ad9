package io.seedtest.analytics.io;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.run.DateWindow;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One run per job and window at a time. With PostgreSQL: a session-level advisory lock keyed by
 * a hash of the schema and the lock name (two deployments in different schemas never block each other), held by a dedicated connection for the whole run (it is released when
 * the connection closes, even if the process dies). In embedded mode: an OS file lock under the
 * lake root. A second run gets {@link Errors#locked} at once instead of waiting.
 */
public final class RunLock implements AutoCloseable {
  /** The advisory lock's key for a lock name (bind the name as the one parameter). */
  private static final String KEY_SQL = "hashtextextended(current_schema() || ':' || ?, 0)";

  private final AutoCloseable held;

  private RunLock(AutoCloseable held) {
    this.held = held;
  }

  public static RunLock acquire(Optional<DatabaseUrl> db, Path lakeRoot, String job, String window) {
    String name = name(job, window);
    return db.isPresent() ? advisory(db.get(), name, job, window) : file(lakeRoot, name, job, window);
  }

  /** As above for a lake given as a string; a remote lake (s3a://) locks under the temp folder (one host). */
  public static RunLock acquire(Optional<DatabaseUrl> db, String lake, String job, String window) {
    return acquire(db, fileLockRoot(lake), job, window);
  }

  /**
   * Waits, up to {@code wait}, for the write lock of one lake table and holds it until closed.
   * Delta's S3 log store is safe for one writing driver per table at a time, and every job writes
   * the shared job_runs and quarantine tables: writers take turns per table instead (see
   * docs/architecture.md, "One writer per lake table"). The key is the table's path, not the
   * schema, so every deployment that writes the same lake shares it.
   */
  public static RunLock lakeTable(Optional<DatabaseUrl> db, String lake, String table, Duration wait) {
    String name = "seedtest-lake:" + lake + "/" + table;
    return db.isPresent() ? advisoryWait(db.get(), name, table, wait) : fileWait(fileLockRoot(lake), name, table, wait);
  }

  private static Path fileLockRoot(String lake) {
    boolean remote = lake.matches("^[A-Za-z][A-Za-z0-9+.-]*:/.*") && !lake.startsWith("file:");
    return remote ? Path.of(System.getProperty("java.io.tmpdir"), "seedtest")
        : Path.of(lake.startsWith("file:") ? java.net.URI.create(lake).getPath() : lake);
  }

  private static RunLock advisoryWait(DatabaseUrl db, String name, String table, Duration wait) {
    Connection c = db.connect();
    try (Statement st = c.createStatement();
         PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
      st.execute("SET lock_timeout = " + Math.max(1, wait.toMillis()));
      ps.setString(1, name);
      ps.execute();
      st.execute("SET lock_timeout = 0");
      return new RunLock(c);
    } catch (SQLException e) {
      closeQuietly(c);
      if ("55P03".equals(e.getSQLState())) {
        throw Errors.lakeTableBusy(table, wait);
      }
      throw Errors.databaseFailure("Taking the lake lock " + name, e);
    }
  }

  /** Threads of this JVM queue here first: on Linux, closing any channel of a file drops the JVM's lock on it. */
  private static final ConcurrentHashMap<String, Semaphore> IN_JVM = new ConcurrentHashMap<>();

  private static RunLock fileWait(Path lakeRoot, String name, String table, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    Semaphore local = IN_JVM.computeIfAbsent(name, k -> new Semaphore(1));
    try {
      if (!local.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw Errors.lakeTableBusy(table, wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.lakeTableBusy(table, wait);
    }
    try {
      Path dir = lakeRoot.resolve("_locks");
      Files.createDirectories(dir);
      FileChannel ch = FileChannel.open(dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      while ((lock = ch.tryLock()) == null) {
        if (System.nanoTime() > deadline) {
          ch.close();
          throw Errors.lakeTableBusy(table, wait);
        }
        Thread.sleep(50);
      }
      FileLock held = lock;
      return new RunLock(() -> {
        try {
          held.release();
          ch.close();
        } finally {
          local.release();
        }
      });
    } catch (IOException e) {
      local.release();
      throw Errors.badSetting("SEEDTEST_LAKE", lakeRoot.toString(), "a writable folder (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      local.release();
      Thread.currentThread().interrupt();
      throw Errors.lakeTableBusy(table, wait);
    } catch (RuntimeException e) {
      local.release();
      throw e;
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // already failing
    }
  }

  /** The window part of a lock name: the window as written, "-" for a job without one. */
  public static String windowName(DateWindow window) {
    return window == null ? "-" : window.toString();
  }

  private static String name(String job, String window) {
    return "seedtest:" + job + ":" + window;
  }

  /**
   * Whether some session holds the PostgreSQL lock of {@code job} and {@code window}: read from
   * pg_locks rather than by trying the lock, which would make a run starting at that moment
   * fail as "locked". A bigint advisory key appears there as classid (high half) and objid.
   */
  public static boolean isHeld(Connection c, String job, String window) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
        + " AND granted AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        + " AND ((classid::bigint << 32) | objid::bigint) = " + KEY_SQL + ")")) {
      ps.setString(1, name(job, window));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static RunLock advisory(DatabaseUrl db, String name, String job, String window) {
    Connection c = db.connect();
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(" + KEY_SQL + ")")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          c.close();
          throw Errors.locked(job, window);
        }
      }
      return new RunLock(c);
    } catch (SQLException e) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing
      }
      throw Errors.databaseFailure("Taking the advisory lock " + name, e);
    }
  }

  private static RunLock file(Path lakeRoot, String name, String job, String window) {
    try {
      Path dir = lakeRoot.resolve("_locks");
      Files.createDirectories(dir);
      Path file = dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".lock");
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        ch.close();
        throw Errors.locked(job, window);
      }
      FileLock held = lock;
      return new RunLock(() -> {
        held.release();
        ch.close();
      });
    } catch (IOException e) {
      throw Errors.badSetting("SEEDTEST_LAKE", lakeRoot.toString(), "a writable folder (" + e.getMessage() + ")");
    }
  }

  @Override
  public void close() {
    try {
      held.close();
    } catch (Exception ignored) {
      // releasing a lock on a closing connection cannot fail in a way the user can act on
    }
  }
}
