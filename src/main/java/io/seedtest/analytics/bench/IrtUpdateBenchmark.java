package io.seedtest.analytics.bench;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.io.PgCopy;
import io.seedtest.analytics.io.SchemaMigrator;
import io.seedtest.analytics.irt.LogisticResponse;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.serve.IrtUpdateServer;
import io.seedtest.analytics.serve.ServeSettings;
import io.seedtest.analytics.ability.UpdateAbilitiesJob;
import io.seedtest.analytics.ability.UpdateAbilitiesOptions;
import io.seedtest.analytics.ability.UpdateRule;
import io.seedtest.analytics.sim.SimulationSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark of issue 5 (bin/bench-irt-update; method and figures in docs/irt-online.md):
 *
 * <ol>
 *   <li>a fresh schema {@code bench_irt} in the benchmark database (created when missing), migrated
 *       with the project's migrations, loaded by COPY: {@code --students} abilities (mirt_ability,
 *       1M by default), 2,000 items (1,900 calibrated), and {@code warmup + --requests + --batch-sessions}
 *       finished sessions in exam_results (5-15 answers each, JSON as the API writes it);
 *   <li>{@code seedtest serve} started in this JVM on 127.0.0.1, and a SEPARATE JVM
 *       ({@link LoadGenerator}) driving it with {@code --concurrency} clients over loopback, bounded
 *       by {@code --requests} and {@code --seconds}, each request a different session (a real update);
 *       requests/s and p50/p90/p99 latency as the client sees them (a closed loop: throughput);
 *   <li>the open model ({@link OpenLoadGenerator}, again a separate JVM): requests at each of the offered
 *       {@code --rates} in turn, latency from each request's intended start (free of coordinated
 *       omission), and the first rate whose p99 is above {@value #TARGET_P99_MS} ms;
 *   <li>the batch job update-abilities (local Spark in this JVM) over the {@code --batch-sessions}
 *       sessions the endpoint was not asked about: sessions/s end to end;
 *   <li>on the simulator ({@link SimulatedTracking}), RMSE of the updated θ and of the last weekly θ
 *       against the true θ, for {@code --tracking-students} students.
 * </ol>
 */
public final class IrtUpdateBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(IrtUpdateBenchmark.class);
  public static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/seedtest_bench";
  static final String SCHEMA = "bench_irt";
  static final int ITEMS = 2_000;
  static final int CALIBRATED = 1_900;

  public record Options(String databaseUrl, int students, int requests, int seconds, int concurrency, int warmup,
      int batchSessions, int pool, int threads, int trackingStudents, boolean keep, boolean skipLoad,
      boolean skipBatch, Path report, long seed, boolean synchronousCommit, List<Integer> sweep, List<Integer> rates,
      int rateSeconds, int rateWarmupSeconds) {}

  /** The latency target of issue 16: p99 under this at the offered rate {@value #TARGET_RATE}/s. */
  static final double TARGET_P99_MS = 50;
  static final int TARGET_RATE = 500;
  /** The rate steps stop after the first whose p99 is above this: the server is saturated. */
  static final double SATURATED_P99_MS = 1_000;

  public int run(Options o, String commandLine, SparkSettings local) throws Exception {
    List<String> report = new ArrayList<>();
    DatabaseUrl admin = DatabaseUrl.parse(o.databaseUrl());
    BenchDatabase.ensureDatabase(admin);
    String raw = o.databaseUrl() + (o.databaseUrl().contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
    DatabaseUrl db = DatabaseUrl.parse(raw);
    int phases = 1 + o.sweep().size();
    int openSessions = o.rates().stream().mapToInt(r -> r * (o.rateWarmupSeconds() + o.rateSeconds())).sum();
    int endpointSessions = o.warmup() + o.requests() * phases + openSessions;
    int sessions = endpointSessions + o.batchSessions();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long tLoad = System.nanoTime();
    if (!o.skipLoad()) {
      try (Connection c = admin.connect(); Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        st.execute("CREATE SCHEMA " + SCHEMA);
      }
      SchemaMigrator.migrate(db);
      load(db, o.students(), sessions, o.seed(), now, 0);
    }
    double loadSeconds = (System.nanoTime() - tLoad) / 1e9;
    long[] loaded = counts(db, "SELECT count(*) FROM mirt_ability", "SELECT count(*) FROM exam_results");
    long abilities = loaded[0];
    long examRows = loaded[1];
    LOG.info("bench-irt-update: {} abilities, {} sessions in {} (loaded in {} s)", abilities, examRows, db,
        String.format("%.1f", loadSeconds));

    // ---- the endpoint under load from a separate JVM ----
    List<String> lines = new ArrayList<>();
    try (Connection c = db.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT user_id, session_id FROM exam_results WHERE id <= " + endpointSessions
             + " ORDER BY id")) {
      while (rs.next()) {
        lines.add(rs.getLong(1) + " " + rs.getLong(2));
      }
    }
    ServeSettings serve = ServeSettings.loopback(null, o.pool(), o.threads(), o.synchronousCommit());
    Map<String, String> load;
    List<Map<String, String>> sweep = new ArrayList<>();
    List<Map<String, String>> open = new ArrayList<>();
    try (IrtUpdateServer server = new IrtUpdateServer(serve, db).start()) {
      String url = "http://127.0.0.1:" + server.port() + IrtUpdateServer.PATH;
      load = drive(db.database(), url, lines.subList(0, o.warmup() + o.requests()), o.concurrency(), o.requests(), o.seconds(),
          o.warmup());
      int from = o.warmup() + o.requests();
      for (int clients : o.sweep()) {
        sweep.add(drive(db.database(), url, lines.subList(from, from + o.requests()), clients, o.requests(), o.seconds(), 0));
        from += o.requests();
      }
      for (int rate : o.rates()) {
        int n = rate * (o.rateWarmupSeconds() + o.rateSeconds());
        Map<String, String> step = driveOpen(url, lines.subList(from, from + n), rate, o.rateSeconds(),
            o.rateWarmupSeconds());
        open.add(step);
        from += n;
        if (Double.parseDouble(step.get("p99_ms")) > SATURATED_P99_MS) {
          LOG.info("bench-irt-update: p99 above {} ms at {} req/s offered; no higher rates", SATURATED_P99_MS, rate);
          break;
        }
      }
    }
    long endpointApplied = counts(db, "SELECT count(*) FROM session_ability_updates WHERE applied_by = 'endpoint'")[0];

    report.add("## seedtest irt update benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
    report.add("");
    report.add("command: `" + commandLine + "`; machine: " + Runtime.getRuntime().availableProcessors()
        + " cores; PostgreSQL " + serverVersion(db) + " on the same machine");
    report.add("");
    report.add("| measure | value |");
    report.add("|---|---|");
    report.add("| students in mirt_ability | " + abilities + " |");
    report.add("| sessions in exam_results | " + examRows + " |");
    report.add("| endpoint: clients (separate JVM, loopback) | " + load.get("concurrency") + " |");
    report.add("| endpoint: requests measured (after " + o.warmup() + " warm-up) | " + load.get("requests")
        + " (stopped by " + load.get("stopped_by") + ") |");
    report.add("| endpoint: status codes | " + load.get("statuses") + " |");
    report.add("| endpoint: requests/s | " + load.get("rps") + " |");
    report.add("| endpoint: CPU ms per request, server JVM / PostgreSQL backends (warm-up included) | "
        + load.get("cpu_ms_server") + " / " + load.get("cpu_ms_pg") + " |");
    report.add("| endpoint: latency p50 / p90 / p99 / max (ms) | " + load.get("p50_ms") + " / " + load.get("p90_ms")
        + " / " + load.get("p99_ms") + " / " + load.get("max_ms") + " |");
    report.add("| endpoint: sessions recorded by the endpoint (incl. warm-up, catch-ups) | " + endpointApplied + " |");
    report.add("| server: DB pool / request threads / synchronous commit | " + o.pool() + " / " + o.threads() + " / "
        + (o.synchronousCommit() ? "on" : "off (default)") + " |");
    for (Map<String, String> r : sweep) {
      report.add("| endpoint with " + r.get("concurrency") + " clients: requests/s, p50 / p99 (ms) | " + r.get("rps")
          + ", " + r.get("p50_ms") + " / " + r.get("p99_ms") + " (" + r.get("requests") + " requests, " + r.get("statuses")
          + ") |");
    }
    if (!open.isEmpty()) {
      openModelTable(report, open, o);
    }

    // ---- the batch job over the sessions nobody asked the endpoint about ----
    if (!o.skipBatch()) {
      Path lake = Files.createTempDirectory("irt-bench-lake");
      Settings settings = new Settings(Optional.of(db), lake, 30, 0.0, false, 4);
      var spark = SparkSessions.getOrCreate("bench-irt-update", local);
      long[] commitMillis = {-1}; // -1: the commit step did not run
      UpdateAbilitiesJob job = new UpdateAbilitiesJob(UpdateAbilitiesOptions.defaults(), new UpdateAbilitiesJob.Hooks() {
        @Override
        public void committed(long millis) {
          commitMillis[0] = millis;
        }
      });
      long t0 = System.nanoTime();
      JobOutcome out = JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), null, false, false,
          "bench", settings, spark, RunContext.NONE));
      double seconds = (System.nanoTime() - t0) / 1e9;
      long[] applied = counts(db, "SELECT count(*) FROM session_ability_updates WHERE applied_by = 'batch'",
          "SELECT count(DISTINCT session_id) FROM session_ability_updates");
      long batchApplied = applied[0];
      long total = applied[1];
      report.add("| batch: sessions applied in one run | " + batchApplied + " (" + out.rowsRead() + " answers) |");
      report.add("| batch: run time, end to end (JDBC read, validation, Spark, one commit, ledger + lake) | "
          + String.format(Locale.ROOT, "%.1f s", seconds) + " |");
      report.add("| batch: of which the commit transaction | " + commitMillis[0] + " ms |");
      report.add("| batch: sessions/s | " + String.format(Locale.ROOT, "%.0f", batchApplied / seconds) + " |");
      report.add("| every session recorded once | " + (total == examRows ? "yes (" + total + ")" : "NO: " + total
          + " of " + examRows) + " |");
      spark.stop();
    }

    // ---- tracking on the simulator ----
    if (o.trackingStudents() > 0) {
      SimulatedTracking.Result t = SimulatedTracking.run(SimulationSpec.realistic().withStudents(o.trackingStudents()),
          UpdateRule.standard());
      report.add(String.format(Locale.ROOT, "| simulator (%d students, %d sessions after a weekly θ): RMSE vs true θ at"
              + " session end, updated θ / last weekly θ | %.4f / %.4f (bias %.4f / %.4f) |", t.students(), t.sessions(),
          t.rmseOnline(), t.rmseWeekly(), t.biasOnline(), t.biasWeekly()));
      report.add(String.format(Locale.ROOT, "| same vs end-of-day truth (sim_student_days) | %.4f / %.4f |",
          t.rmseOnlineDay(), t.rmseWeeklyDay()));
    }
    ReportOutput.emit(report, o.report());
    if (!o.keep()) {
      try (Connection c = admin.connect(); Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      }
    }
    return 0;
  }

  /**
   * The open-model steps (issue 16, item 7) as a table after the main one, and the first offered rate
   * whose p99 is above {@value #TARGET_P99_MS} ms.
   */
  private static void openModelTable(List<String> report, List<Map<String, String>> steps, Options o) {
    report.add("");
    report.add("Open model (" + OpenLoadGenerator.class.getSimpleName() + ", separate JVM): requests at a fixed offered"
        + " rate, latency from each request's intended start; " + o.rateWarmupSeconds() + " s warm-up then "
        + o.rateSeconds() + " s measured per rate, fresh sessions each.");
    report.add("");
    report.add("| offered req/s | achieved req/s | requests | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms"
        + " | errors (by status) | generator max lag ms |");
    report.add("|---|---|---|---|---|---|---|---|---|---|");
    String crossing = null;
    String below = null;
    for (Map<String, String> s : steps) {
      report.add("| " + s.get("offered") + " | " + s.get("achieved") + " | " + s.get("requests") + " | " + s.get("p50_ms")
          + " | " + s.get("p90_ms") + " | " + s.get("p99_ms") + " | " + s.get("p999_ms") + " | " + s.get("max_ms")
          + " | " + s.get("errors") + (s.get("errors").equals("0") ? "" : " (" + s.get("statuses") + ")") + " | "
          + s.get("max_lag_ms") + " |");
      boolean over = Double.parseDouble(s.get("p99_ms")) > TARGET_P99_MS;
      if (over && crossing == null) {
        crossing = s.get("offered");
      } else if (!over && crossing == null) {
        below = s.get("offered");
      }
    }
    report.add("");
    report.add(crossing == null
        ? "p99 stays under " + (int) TARGET_P99_MS + " ms up to " + steps.get(steps.size() - 1).get("offered")
            + " req/s offered (the highest rate run)."
        : "p99 crosses " + (int) TARGET_P99_MS + " ms at " + crossing + " req/s offered"
            + (below == null ? " (the lowest rate run)." : " (under it at " + below + " req/s)."));
    steps.stream().filter(s -> Integer.parseInt(s.get("offered")) == TARGET_RATE).findFirst().ifPresent(s ->
        report.add("Target p99 < " + (int) TARGET_P99_MS + " ms at " + TARGET_RATE + " req/s: "
            + (Double.parseDouble(s.get("p99_ms")) < TARGET_P99_MS ? "met" : "NOT met") + " (p99 " + s.get("p99_ms")
            + " ms)."));
  }

  /** Runs the load generator in its own JVM against {@code url} with {@code requests} lines. */
  private static Map<String, String> drive(String database, String url, List<String> requests, int clients, int maxRequests,
      int seconds, int warmup) throws IOException, InterruptedException {
    LOG.info("bench-irt-update: load generator (separate JVM): {} clients, {} requests or {} s, after {} warm-up",
        clients, maxRequests, seconds, warmup);
    // CPU per request, which unlike latency barely moves when others load the machine: this JVM
    // (the server; the generator runs in its own) and the benchmark database's backends
    Map<String, String> out;
    CpuMeter.Cpu cpu;
    try (CpuMeter meter = CpuMeter.start(database)) {
      out = new LinkedHashMap<>(inSeparateJvm(LoadGenerator.class, url, requests, Integer.toString(clients),
          Integer.toString(maxRequests), Integer.toString(seconds), Integer.toString(warmup)));
      cpu = meter.stop();
    }
    long answered = warmup + Long.parseLong(out.get("requests"));
    out.put("cpu_ms_server", String.format(Locale.ROOT, "%.2f", cpu.jvm() * 1000 / answered));
    out.put("cpu_ms_pg", String.format(Locale.ROOT, "%.2f", cpu.pg() * 1000 / answered));
    return out;
  }

  /** Runs the open-model generator in its own JVM: {@code rate} req/s for warm-up + {@code seconds}. */
  private static Map<String, String> driveOpen(String url, List<String> requests, int rate, int seconds, int warmup)
      throws IOException, InterruptedException {
    LOG.info("bench-irt-update: open-model generator (separate JVM): {} req/s for {} s after {} s warm-up", rate,
        seconds, warmup);
    return inSeparateJvm(OpenLoadGenerator.class, url, requests, Integer.toString(rate), Integer.toString(seconds),
        Integer.toString(warmup));
  }

  /** A client's {@code main(URL, REQUESTS_FILE, args...)} in its own JVM, the requests in a temporary file. */
  private static Map<String, String> inSeparateJvm(Class<?> client, String url, List<String> requests, String... args)
      throws IOException, InterruptedException {
    Path file = Files.createTempFile("irt-requests", ".txt");
    try {
      Files.write(file, requests);
      List<String> all = new ArrayList<>(List.of(url, file.toString()));
      all.addAll(List.of(args));
      Map<String, String> result = SeparateJvm.run(client, "512m", Map.of(), all.toArray(String[]::new));
      LOG.info("bench-irt-update: {}", result);
      return result;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  // ---- loading ------------------------------------------------------------------------------------

  /**
   * Loads {@code students} abilities, the item bank ({@value #ITEMS} items, {@value #CALIBRATED}
   * calibrated) and {@code sessions} finished sessions, by COPY, into a migrated schema. Ids are
   * {@code idBase + 1..n} (a base of 10^18 gives 19-digit ids, as the platform's simulator makes).
   */
  public static void load(DatabaseUrl db, int students, int sessions, long seed, Instant now, long idBase)
      throws SQLException {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] items = new double[ITEMS + 1][];
    for (int j = 1; j <= ITEMS; j++) {
      items[j] = new double[] {Math.exp(0.3 * r.nextGaussian()), r.nextGaussian(), 0.05 + 0.2 * r.nextDouble()};
    }
    double[] trueTheta = new double[students + 1];
    try (Connection c = db.connect()) {
      long t = System.nanoTime();
      PgCopy.copyRows(c, "COPY item_bank (item_id, topic) FROM STDIN",
          IntStream.rangeClosed(1, ITEMS).mapToObj(j -> RowFactory.create(j, "topic_" + (j % 12))).iterator(), "");
      PgCopy.copyRows(c, "COPY mirt_item_params (item_id, model, a, b, c, answers, calibration_id, calibrated, flag)"
          + " FROM STDIN", IntStream.rangeClosed(1, ITEMS).mapToObj(j -> {
            boolean cal = j <= CALIBRATED;
            return RowFactory.create(j, "3pl", cal ? items[j][0] : null, cal ? items[j][1] : null,
                cal ? items[j][2] : null, cal ? 800 : 12, "bench-cal", cal, cal ? null : "too_few_answers");
          }).iterator(), "");
      LOG.info("bench-irt-update: items loaded ({} ms)", (System.nanoTime() - t) / 1_000_000);
      t = System.nanoTime();
      // rows are made lazily as COPY streams them, in the order the random draws were always made
      PgCopy.copyRows(c, "COPY mirt_ability (user_id, theta, theta_se, answers_used, as_of, calibration_id, source)"
          + " FROM STDIN", IntStream.rangeClosed(1, students).mapToObj(u -> {
            trueTheta[u] = r.nextGaussian();
            double se = 0.2 + 0.2 * r.nextDouble();
            double theta = trueTheta[u] + se * r.nextGaussian();
            Instant asOf = now.minus(Duration.ofMinutes(60 + r.nextInt(7 * 24 * 60)));
            return RowFactory.create(idBase + u, theta, se, 60, asOf, "bench-cal", "calibration");
          }).iterator(), "");
      LOG.info("bench-irt-update: {} abilities loaded ({} ms)", students, (System.nanoTime() - t) / 1_000_000);
      t = System.nanoTime();
      Instant first = now.minus(Duration.ofMinutes(9));
      long spanMillis = Duration.ofMinutes(8).toMillis();
      int[] chosen = new int[15];
      PgCopy.copyRows(c, "COPY exam_results (session_id, user_id, started_at, finished_at, responses) FROM STDIN",
          IntStream.rangeClosed(1, sessions).mapToObj(s -> {
            int user = 1 + r.nextInt(students);
            Instant fin = first.plusMillis(spanMillis * s / sessions);
            int n = 5 + r.nextInt(11);
            StringBuilder b = new StringBuilder(160 * n).append('[');
            for (int k = 0; k < n; k++) {
              int item;
              boolean repeat;
              do {
                item = 1 + r.nextInt(ITEMS);
                repeat = false;
                for (int q = 0; q < k; q++) {
                  repeat |= chosen[q] == item;
                }
              } while (repeat);
              chosen[k] = item;
              double p = LogisticResponse.probability(items[item][0], items[item][1], items[item][2], trueTheta[user]);
              if (k > 0) {
                b.append(", ");
              }
              b.append("{\"item_id\": ").append(item).append(", \"topic\": \"topic_").append(item % 12)
                  .append("\", \"correct\": ").append(r.nextDouble() < p).append(", \"response_time_ms\": ")
                  .append(5_000 + r.nextInt(60_000)).append(", \"hints_used\": ").append(r.nextInt(10) == 0 ? 1 : 0)
                  .append(", \"answered_at\": \"").append(fin.minusSeconds(60L * (n - k))).append("\"}");
            }
            return RowFactory.create(idBase + s, idBase + user, fin.minusSeconds(60L * n + 30), fin,
                b.append(']').toString());
          }).iterator(), "");
      LOG.info("bench-irt-update: {} sessions loaded ({} ms)", sessions, (System.nanoTime() - t) / 1_000_000);
      try (Statement st = c.createStatement()) {
        st.execute("ANALYZE");
      }
    }
  }

  /** The one number each query returns, read on one connection. */
  private static long[] counts(DatabaseUrl db, String... queries) throws SQLException {
    long[] counts = new long[queries.length];
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      for (int i = 0; i < queries.length; i++) {
        try (ResultSet rs = st.executeQuery(queries[i])) {
          rs.next();
          counts[i] = rs.getLong(1);
        }
      }
    }
    return counts;
  }

  private static String serverVersion(DatabaseUrl db) {
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SHOW server_version")) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      return "?";
    }
  }
}
