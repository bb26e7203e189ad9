package io.seedtest.analytics.io;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.PublishTimeouts;
import io.seedtest.analytics.run.CommitStep;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.PausePoint;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way results reach PostgreSQL (design.md, "the upsert protocol"):
 * <ol>
 *   <li>{@link #stage}: every Spark partition COPYs its rows into a per-run UNLOGGED staging table,
 *       tagged with partition id and task attempt;
 *   <li>{@link #commit}: in one transaction, per partition only the rows of one attempt are kept
 *       (a retried task re-sends its rows), de-duplicated by key, merged with
 *       {@code INSERT … ON CONFLICT DO UPDATE} (only when a value differs, so a rerun rewrites
 *       nothing), target rows of the run's scope that the run did not produce are deleted, extra
 *       statements (ledger, quarantine) run, and the staging tables are dropped.
 * </ol>
 * Readers see the old or the new result, never half; a run killed before the commit leaves the
 * targets untouched (its staging tables are dropped by {@link #discard} or, when the process
 * died, by the next run's {@link #dropOrphans}). The commit transaction runs under
 * {@link PublishTimeouts}: a lock held elsewhere fails it with exit code 6 instead of a long wait.
 */
public final class PgUpsertWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PgUpsertWriter.class);
  static final String STAGING_PREFIX = "stg_";
  static final String MERGE_WORK_MEM = "256MB";

  /** A staged table waiting for {@link #commit}. */
  public record Staged(UpsertSpec spec, String stagingTable, DateWindow scope) {}

  private final DatabaseUrl db;
  private final UUID runId;
  private final PublishTimeouts timeouts;

  public PgUpsertWriter(DatabaseUrl db, UUID runId) {
    this(db, runId, PublishTimeouts.DEFAULTS);
  }

  public PgUpsertWriter(DatabaseUrl db, UUID runId, PublishTimeouts timeouts) {
    this.db = db;
    this.runId = runId;
    this.timeouts = timeouts;
  }

  /** The run's tag in its staging tables' names: the first 16 hex digits of its id. */
  private static String runTag(UUID runId) {
    return runId.toString().replace("-", "").substring(0, 16);
  }

  /** Copies {@code rows} (columns as {@code spec.columns()}) into a fresh staging table. */
  public Staged stage(UpsertSpec spec, Dataset<Row> rows, DateWindow scope) {
    String staging = STAGING_PREFIX + spec.table() + "_" + runTag(runId);
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      // CREATE … AS SELECT FROM the target waits behind an exclusive lock on it, as the merge would
      st.execute("SET lock_timeout = " + timeouts.lockTimeout().toMillis());
      st.execute("DROP TABLE IF EXISTS " + staging);
      st.execute("CREATE UNLOGGED TABLE " + staging + " AS SELECT "
          + String.join(", ", spec.columns()) + " FROM " + spec.table() + " WITH NO DATA");
      st.execute("ALTER TABLE " + staging + " ADD COLUMN _part INT NOT NULL, ADD COLUMN _attempt BIGINT NOT NULL");
    } catch (SQLException e) {
      throw Errors.databaseFailure("Creating staging table for " + spec.table(), e);
    }
    List<String> cols = spec.columns();
    PgCopy.copy(rows.select(cols.stream().map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new)), db, staging, cols, true);
    return new Staged(spec, staging, scope);
  }

  /** Merges every staged table and runs {@code extra} in one transaction; returns rows changed per table. */
  public List<Long> commit(List<Staged> staged, List<? extends CommitStep> extra) {
    List<Long> changed = new ArrayList<>();
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      try {
        try (Statement st = c.createStatement()) {
          // The de-duplicating sort and the scope anti-join of a backfill (millions of rows) spill
          // to disk at the default 4MB; this transaction's memory only, not the server's.
          st.execute("SET LOCAL work_mem = '" + MERGE_WORK_MEM + "'");
          // never wait unboundedly behind another session's lock on a target, nor run away
          for (String set : timeouts.setLocal()) {
            st.execute(set);
          }
          for (Staged s : staged) {
            // fresh tables have no statistics: without them the planner guesses the join sizes
            st.execute("ANALYZE " + s.stagingTable());
          }
        }
        for (Staged s : staged) {
          changed.add(merge(c, s));
        }
        for (CommitStep step : extra) {
          step.apply(c);
        }
        for (Staged s : staged) {
          try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + s.stagingTable());
          }
        }
        PausePoint.reached(PausePoint.Stage.MERGE_TRANSACTION);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw Errors.databaseFailure("Merging results into PostgreSQL", e);
    }
    return changed;
  }

  private long merge(Connection c, Staged s) throws SQLException {
    UpsertSpec spec = s.spec();
    String keys = String.join(", ", spec.keys());
    String cols = String.join(", ", spec.columns());
    // One attempt per partition: any finished attempt holds the whole partition (COPY is atomic).
    String oneAttempt = "(_part, _attempt) IN (SELECT _part, min(_attempt) FROM " + s.stagingTable() + " GROUP BY _part)";
    String dedup = "SELECT DISTINCT ON (" + keys + ") " + cols + " FROM " + s.stagingTable()
        + " WHERE " + oneAttempt + " ORDER BY " + keys + ", _part";
    String set = spec.columns().stream().filter(col -> !spec.keys().contains(col))
        .map(col -> col + " = EXCLUDED." + col).collect(Collectors.joining(", "));
    String changedCond = "(" + spec.values().stream().map(v -> "t." + v).collect(Collectors.joining(", "))
        + ") IS DISTINCT FROM (" + spec.values().stream().map(v -> "EXCLUDED." + v).collect(Collectors.joining(", ")) + ")";
    String upsert = "INSERT INTO " + spec.table() + " AS t (" + cols + ") " + dedup
        + " ON CONFLICT (" + keys + ") DO UPDATE SET " + set + updatedAt(c, spec) + " WHERE " + changedCond;
    long n = 0;
    // The scope delete first: then it only visits rows already there (none on a first run), not
    // the ones this run is about to insert. Same result as after the insert, in one transaction.
    if (spec.scopeColumn() != null && s.scope() != null) {
      String match = spec.keys().stream().map(k -> "x." + k + " = t." + k).collect(Collectors.joining(" AND "));
      String delete = "DELETE FROM " + spec.table() + " t WHERE t." + spec.scopeColumn() + " BETWEEN ? AND ?"
          + " AND NOT EXISTS (SELECT 1 FROM " + s.stagingTable() + " x WHERE " + match + ")";
      try (PreparedStatement ps = c.prepareStatement(delete)) {
        ps.setDate(1, Date.valueOf(s.scope().from()));
        ps.setDate(2, Date.valueOf(s.scope().to()));
        n += ps.executeUpdate();
      }
    }
    try (Statement st = c.createStatement()) {
      n += st.executeUpdate(upsert);
    }
    LOG.debug("merged {} into {} ({} rows changed)", s.stagingTable(), spec.table(), n);
    return n;
  }

  /** Tables with an updated_at column get it bumped on change. */
  private static String updatedAt(Connection c, UpsertSpec spec) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM information_schema.columns WHERE table_name = ? AND column_name = 'updated_at'"
            + " AND table_schema = ANY (current_schemas(false))")) {
      ps.setString(1, spec.table());
      try (var rs = ps.executeQuery()) {
        return rs.next() && !spec.columns().contains("updated_at") ? ", updated_at = now()" : "";
      }
    }
  }

  /**
   * Drops the staging tables left by dead runs (killed before their commit or their
   * {@link #discard}) and returns their names. A table is dropped only when job_runs knows its
   * run and that run is no longer 'running' (call {@link RunLedger#abandonDeadRuns} first): a
   * live run's tables, and tables of unknown origin, are left alone. A table still locked by a
   * dying backend is skipped after the lock timeout and dropped by a later run.
   */
  public static List<String> dropOrphans(DatabaseUrl db, PublishTimeouts timeouts) {
    List<String> dropped = new ArrayList<>();
    String tag = "left(replace(r.run_id::text, '-', ''), 16) = right(t.tablename, 16)";
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.execute("SET lock_timeout = " + timeouts.lockTimeout().toMillis());
      List<String> orphans = new ArrayList<>();
      try (var rs = st.executeQuery("SELECT t.tablename FROM pg_tables t WHERE t.schemaname = current_schema()"
          + " AND t.tablename LIKE '" + STAGING_PREFIX.replace("_", "\\_") + "%'"
          + " AND EXISTS (SELECT 1 FROM job_runs r WHERE " + tag + ")"
          + " AND NOT EXISTS (SELECT 1 FROM job_runs r WHERE " + tag + " AND r.status = 'running')")) {
        while (rs.next()) {
          orphans.add(rs.getString(1));
        }
      }
      for (String t : orphans) {
        try {
          st.execute("DROP TABLE IF EXISTS " + t);
          dropped.add(t);
        } catch (SQLException e) {
          LOG.warn("could not drop orphan staging table {} (a later run will): {}", t, Errors.describe(e));
        }
      }
    } catch (SQLException e) {
      throw Errors.databaseFailure("Dropping staging tables of dead runs", e);
    }
    return dropped;
  }

  /** Drops this run's staging tables after a failure; never throws. */
  public void discard(List<Staged> staged) {
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      for (Staged s : staged) {
        st.execute("DROP TABLE IF EXISTS " + s.stagingTable());
      }
    } catch (RuntimeException | SQLException e) {
      LOG.warn("could not drop staging tables of run {}: {}", runId, e.getMessage());
    }
  }
}
