package io.seedtest.analytics.io;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.RunRecord;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The job_runs ledger. In PostgreSQL a run is inserted as 'running' when it starts and finished
 * inside the same transaction that publishes its results (so 'succeeded' always means the data is
 * there); in the lake (embedded mode, and as history beside PostgreSQL) the finished record is
 * appended once at the end.
 */
public final class RunLedger {
  static final StructType LAKE_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("job", DataTypes.StringType, false)
      .add("window_from", DataTypes.DateType, true)
      .add("window_to", DataTypes.DateType, true)
      .add("args", DataTypes.StringType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("finished_at", DataTypes.TimestampType, true)
      .add("status", DataTypes.StringType, false)
      .add("rows_read", DataTypes.LongType, false)
      .add("rows_written", DataTypes.LongType, false)
      .add("rows_quarantined", DataTypes.LongType, false)
      .add("message", DataTypes.StringType, true);

  private final Optional<DatabaseUrl> db;
  private final Lake lake;

  public RunLedger(Optional<DatabaseUrl> db, Lake lake) {
    this.db = db;
    this.lake = lake;
  }

  public void started(RunRecord r) {
    if (db.isEmpty()) {
      return;
    }
    try (Connection c = db.get().connect()) {
      insert(c, r);
    } catch (SQLException e) {
      throw Errors.databaseFailure("Recording the run in job_runs", e);
    }
  }

  /** The statement that marks the run finished; run it inside the publishing transaction. */
  public static void finish(Connection c, RunRecord r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE job_runs SET finished_at = ?, status = ?, rows_read = ?, rows_written = ?,"
            + " rows_quarantined = ?, message = ? WHERE run_id = ?")) {
      ps.setTimestamp(1, Timestamp.from(r.finishedAt()));
      ps.setString(2, r.status().sql());
      ps.setLong(3, r.rowsRead());
      ps.setLong(4, r.rowsWritten());
      ps.setLong(5, r.rowsQuarantined());
      ps.setString(6, r.message());
      ps.setObject(7, r.runId());
      if (ps.executeUpdate() == 0) {
        insert(c, r);
      }
    }
  }

  /**
   * Records a failed run outside any transaction; best effort, it must not hide the real error
   * (if even this fails, the row stays 'running' and the next run marks it 'abandoned').
   */
  public void failed(RunRecord r) {
    db.ifPresent(d -> {
      try (Connection c = d.connect(); PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM job_runs WHERE run_id = ? AND status = 'succeeded'")) {
        ps.setObject(1, r.runId());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return; // committed before the failure (in the lake write): its data is in PostgreSQL
          }
        }
        finish(c, r);
      } catch (SQLException | RuntimeException | LinkageError | VirtualMachineError ignored) {
        // the run's own error is what the user needs to see
      }
    });
  }

  /**
   * Marks the dead runs of {@code job} 'abandoned' and returns their ids. Call it holding the lock
   * of ({@code job}, {@code window}): then every other 'running' row of that window is dead, and
   * a row of another window is dead when nobody holds that window's lock (a run takes its lock
   * before inserting its row and finishes the row before releasing it). finished_at says when
   * the death was noticed, message by which run.
   */
  public List<UUID> abandonDeadRuns(String job, DateWindow window, UUID self) {
    if (db.isEmpty()) {
      return List.of();
    }
    List<UUID> dead = new ArrayList<>();
    try (Connection c = db.get().connect()) {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT run_id, window_from, window_to FROM job_runs WHERE job = ? AND status = 'running' AND run_id <> ?")) {
        ps.setString(1, job);
        ps.setObject(2, self);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Date from = rs.getDate(2);
            DateWindow w = from == null ? null : new DateWindow(from.toLocalDate(), rs.getDate(3).toLocalDate());
            if (Objects.equals(w, window) || !RunLock.isHeld(c, job, RunLock.windowName(w))) {
              dead.add(rs.getObject(1, UUID.class));
            }
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE job_runs SET status = 'abandoned', finished_at = now(),"
          + " message = ? WHERE run_id = ? AND status = 'running'")) {
        for (UUID id : dead) {
          ps.setString(1, "abandoned: the run's process ended without finishing it (killed or lost; its lock was"
              + " free); noticed by run " + self);
          ps.setObject(2, id);
          ps.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw Errors.databaseFailure("Looking for dead runs of " + job + " in job_runs", e);
    }
    return dead;
  }

  /** Appends the finished record to the lake's job_runs history. */
  public void appendToLake(SparkSession spark, RunRecord r) {
    Row row = RowFactory.create(r.runId().toString(), r.job(),
        r.window() == null ? null : Date.valueOf(r.window().from()),
        r.window() == null ? null : Date.valueOf(r.window().to()), r.args(),
        Timestamp.from(r.startedAt()), r.finishedAt() == null ? null : Timestamp.from(r.finishedAt()),
        r.status().sql(), r.rowsRead(), r.rowsWritten(), r.rowsQuarantined(), r.message());
    lake.append(spark.createDataFrame(List.of(row), LAKE_SCHEMA).coalesce(1), Lake.JOB_RUNS);
  }

  private static void insert(Connection c, RunRecord r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO job_runs (run_id, job, window_from, window_to, args, started_at, finished_at, status,"
            + " rows_read, rows_written, rows_quarantined, message) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setObject(1, r.runId());
      ps.setString(2, r.job());
      ps.setDate(3, r.window() == null ? null : Date.valueOf(r.window().from()));
      ps.setDate(4, r.window() == null ? null : Date.valueOf(r.window().to()));
      ps.setString(5, r.args());
      ps.setTimestamp(6, Timestamp.from(r.startedAt()));
      ps.setTimestamp(7, r.finishedAt() == null ? null : Timestamp.from(r.finishedAt()));
      ps.setString(8, r.status().sql());
      ps.setLong(9, r.rowsRead());
      ps.setLong(10, r.rowsWritten());
      ps.setLong(11, r.rowsQuarantined());
      ps.setString(12, r.message());
      ps.executeUpdate();
    }
  }
}
