package io.seedtest.analytics.bench;

import io.seedtest.analytics.calibration.CalibrateIrtJob;
import io.seedtest.analytics.calibration.CalibrationOptions;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.features.AggregateFeaturesDailyJob;
import io.seedtest.analytics.features.Granularity;
import io.seedtest.analytics.io.JdbcAttemptSource;
import io.seedtest.analytics.io.SchemaMigrator;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.kpi.ComputeDailyKpisJob;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * bench-poison: every {@link PoisonAnswers#kinds() poison kind} written into exam_results beside
 * valid sessions, then the jobs whose windows hold them (features, KPIs, a small calibration) run
 * against the real PostgreSQL. Prints, per kind, the answers tried, how many each job quarantined
 * and with which reason, and the job failures (there must be none). Runs in a schema of its own,
 * dropped afterwards unless {@code keep}.
 */
public final class PoisonBenchmark {
  public static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/seedtest_test";
  static final long POISON_BASE = 1_000_000_000L;
  static final int ITEMS = 40;

  /** @param url the server and database as given (a schema of the run's own is added to it) */
  public record Options(String url, int perKind, int validSessionsPerDay, int days, LocalDate day, long seed,
      boolean keep, Path work, Path report) {}

  private record JobRun(String job, boolean failed, String line, double seconds) {}

  private final Options o;

  public PoisonBenchmark(Options options) {
    this.o = options;
  }

  /** Runs the benchmark; {@code local} configures its Spark session (as a job's, from the CLI's environment). */
  public String run(SparkSettings local) {
    DatabaseUrl base = DatabaseUrl.parse(o.url());
    BenchDatabase.ensureDatabase(base);
    String schema = "bench_poison_" + UUID.randomUUID().toString().substring(0, 8);
    BenchDatabase.execute(base, "CREATE SCHEMA " + schema);
    DatabaseUrl db = DatabaseUrl.parse(BenchDatabase.withSchema(o.url(), schema));
    try {
      SchemaMigrator.migrate(db);
      Map<String, PoisonAnswers.Kind> kinds = write(db);
      BenchDatabase.execute(db, "ANALYZE exam_results");
      Settings settings = new Settings(Optional.of(db), o.work().resolve(schema).toString(), 30, 0.0, false, 2);
      SparkSession spark = SparkSessions.getOrCreate("seedtest bench-poison", local);
      JdbcAttemptSource source = new JdbcAttemptSource(db, 2);
      List<JobRun> runs = List.of(
          run(new AggregateFeaturesDailyJob(source, Granularity.DAY), settings, spark),
          run(new ComputeDailyKpisJob(source), settings, spark),
          run(new CalibrateIrtJob(source, new CalibrationOptions(4, CalibrationOptions.defaults().model(), true, 20,
              50)), settings, spark));
      String report = report(db, kinds, runs);
      if (o.report() != null) {
        Files.writeString(o.report(), report);
      }
      return report;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      if (!o.keep()) {
        BenchDatabase.execute(base, "DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  /** Valid sessions over the days before and on the day, then {@code perKind} sessions of each kind on the day. */
  private Map<String, PoisonAnswers.Kind> write(DatabaseUrl db) {
    Random r = new Random(o.seed());
    List<PoisonSessions.Session> sessions = new ArrayList<>();
    long id = 1;
    for (int d = o.days() - 1; d >= 0; d--) {
      Instant dayStart = o.day().minusDays(d).atStartOfDay(ZoneOffset.UTC).toInstant();
      for (int s = 0; s < o.validSessionsPerDay(); s++, id++) {
        Instant finished = dayStart.plusSeconds(3600 + r.nextInt(20 * 3600));
        StringBuilder answers = new StringBuilder("[");
        for (int k = 0; k < 10; k++) {
          answers.append(k == 0 ? "" : ", ").append(PoisonAnswers.answer("none", null, 1 + (id * 7 + k * 3) % ITEMS,
              "topic" + (k % 3), r.nextBoolean(), finished.minusSeconds(60L * (10 - k))));
        }
        sessions.add(new PoisonSessions.Session(id, 1 + id % 300, finished, answers.append(']').toString()));
      }
    }
    Map<String, PoisonAnswers.Kind> bySession = new LinkedHashMap<>();
    Instant finished = o.day().atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(12 * 3600);
    long poison = POISON_BASE;
    for (PoisonAnswers.Kind kind : PoisonAnswers.kinds()) {
      for (int i = 0; i < o.perKind(); i++, poison++) {
        sessions.add(new PoisonSessions.Session(poison, 1 + poison % 300, finished,
            PoisonAnswers.session(kind.field(), kind.json(), 1 + poison % ITEMS, "topic0", finished.minusSeconds(600))));
        bySession.put(Long.toString(poison), kind);
      }
    }
    PoisonSessions.insert(db, sessions);
    return bySession;
  }

  private JobRun run(Job job, Settings settings, SparkSession spark) {
    long t0 = System.nanoTime();
    try {
      JobOutcome out = JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), DateWindow.day(o.day()), false,
          false, "bench-poison", settings, spark, RunContext.NONE));
      return new JobRun(job.name(), false, out.summary(), (System.nanoTime() - t0) / 1e9);
    } catch (RuntimeException e) {
      return new JobRun(job.name(), true, String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
          (System.nanoTime() - t0) / 1e9);
    }
  }

  private String report(DatabaseUrl db, Map<String, PoisonAnswers.Kind> kinds, List<JobRun> runs) {
    // per kind: answers the view yields for its sessions, and per job the quarantined ones and their reasons
    Map<String, long[]> tried = new LinkedHashMap<>();
    Map<String, Map<String, Long>> quarantined = new LinkedHashMap<>();
    Map<String, String> reasons = new LinkedHashMap<>();
    for (var row : BenchDatabase.queryRows(db, "SELECT session_id::text, count(*) FROM attempt WHERE session_id >= "
        + POISON_BASE + " GROUP BY 1")) {
      tried.computeIfAbsent(kinds.get((String) row.get(0)).name(), k -> new long[1])[0] += ((Number) row.get(1)).longValue();
    }
    for (var row : BenchDatabase.queryRows(db, "SELECT e.session_id::text, q.job, q.reason FROM quarantine q"
        + " JOIN exam_results e ON e.id = split_part(q.source_key, ':', 1)::bigint WHERE e.session_id >= " + POISON_BASE)) {
      String kind = kinds.get((String) row.get(0)).name();
      quarantined.computeIfAbsent(kind, k -> new LinkedHashMap<>()).merge((String) row.get(1), 1L, Long::sum);
      reasons.putIfAbsent(kind, (String) row.get(2));
    }
    long failures = runs.stream().filter(JobRun::failed).count();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "bench-poison: %d kinds x %d sessions on %s beside %d valid sessions/day"
        + " over %d days (%d answers)%n%n", kinds.size() / Math.max(1, o.perKind()), o.perKind(), o.day(),
        o.validSessionsPerDay(), o.days(), 10L * o.validSessionsPerDay() * o.days()));
    b.append("| poison kind | answers tried | quarantined (features / KPIs / calibration) | reason | job failures |\n");
    b.append("|---|---:|---|---|---:|\n");
    for (PoisonAnswers.Kind k : PoisonAnswers.kinds()) {
      Map<String, Long> q = quarantined.getOrDefault(k.name(), Map.of());
      b.append(String.format(Locale.ROOT, "| %s | %d | %d / %d / %d | `%s` | %d |%n", k.name(),
          tried.getOrDefault(k.name(), new long[1])[0], q.getOrDefault(AggregateFeaturesDailyJob.NAME, 0L),
          q.getOrDefault(ComputeDailyKpisJob.NAME, 0L), q.getOrDefault(CalibrateIrtJob.NAME, 0L),
          reasons.getOrDefault(k.name(), "-"), failures));
    }
    b.append("\n| job | result | s | summary |\n|---|---|---:|---|\n");
    for (JobRun run : runs) {
      b.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s |%n", run.job(), run.failed() ? "FAILED" : "ok",
          run.seconds(), run.line().replace("|", "/")));
    }
    b.append(String.format(Locale.ROOT, "%njob failures: %d%n", failures));
    return b.toString();
  }
}
