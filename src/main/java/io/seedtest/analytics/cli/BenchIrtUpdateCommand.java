package io.seedtest.analytics.cli;

import io.seedtest.analytics.bench.IrtUpdateBenchmark;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.serve.ServeSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench-irt-update", mixinStandardHelpOptions = true,
    description = {"Benchmark the session-end θ update (docs/irt-online.md). Loads schema bench_irt of the benchmark",
        "database (created if missing; DATABASE_URL is ignored on purpose: the benchmark drops that schema),",
        "starts `seedtest serve` on 127.0.0.1, drives it from a separate JVM with --concurrency clients and then",
        "at fixed offered rates (--rates, the open model), then times the batch job update-abilities. Only",
        "loopback traffic. Prints Markdown tables (also to --report)."})
final class BenchIrtUpdateCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--database-url", defaultValue = IrtUpdateBenchmark.DEFAULT_URL, paramLabel = "URL",
      description = "The benchmark database (default: ${DEFAULT-VALUE}).")
  String databaseUrl;

  @Option(names = "--students", defaultValue = "1000000", description = "Abilities loaded (default: ${DEFAULT-VALUE}).")
  int students;

  @Option(names = "--requests", defaultValue = "20000", description = "Most requests measured (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(names = "--seconds", defaultValue = "60", description = "Most seconds of measured load (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--concurrency", defaultValue = "100", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--warmup", defaultValue = "2000", description = "Requests before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--batch-sessions", defaultValue = "100000",
      description = "Sessions for the batch job update-abilities (default: ${DEFAULT-VALUE}).")
  int batchSessions;

  @Mixin
  ServerCapacityOptions capacity;

  @Option(names = "--tracking-students", defaultValue = "20000",
      description = "Students of the RMSE-against-truth simulation (default: ${DEFAULT-VALUE}).")
  int trackingStudents;

  @Option(names = "--keep", description = "Keep the bench_irt schema afterwards.")
  boolean keep;

  @Option(names = "--skip-load", description = "Reuse the schema a --keep run left.")
  boolean skipLoad;

  @Option(names = "--skip-batch", description = "Leave out the batch job.")
  boolean skipBatch;

  @Option(names = "--synchronous-commit", description = "Keep PostgreSQL's synchronous_commit on for the server.")
  boolean synchronousCommit;

  @Option(names = "--sweep", split = ",", paramLabel = "N[,N...]",
      description = "After the main run, the same load with these client counts (fresh sessions each).")
  List<Integer> sweep = List.of();

  @Option(names = "--rates", split = ",", paramLabel = "R[,R...]",
      defaultValue = "100,200,300,500,700,1000,1500,2000",
      description = {"Open model (issue 16): after the closed-loop runs, requests at each of these offered rates",
          "(req/s, fresh sessions each), latency from each request's intended start; stops after the first rate",
          "whose p99 is above 1 s (default: ${DEFAULT-VALUE})."})
  List<Integer> rates;

  @Option(names = "--rate-seconds", defaultValue = "20",
      description = "Measured seconds per offered rate (default: ${DEFAULT-VALUE}).")
  int rateSeconds;

  @Option(names = "--rate-warmup-seconds", defaultValue = "5",
      description = "Unmeasured seconds at the same rate before each step (default: ${DEFAULT-VALUE}).")
  int rateWarmupSeconds;

  @Option(names = "--skip-open", description = "Leave out the open-model rates.")
  boolean skipOpen;

  @Option(names = "--seed", defaultValue = "20261126", description = "Seed of the loaded data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the report here.")
  Path report;

  @Override
  public Integer call() throws Exception {
    CommonOptions.requirePositive("--students", students);
    CommonOptions.requirePositive("--requests", requests);
    CommonOptions.requirePositive("--seconds", seconds);
    CommonOptions.requirePositive("--concurrency", concurrency);
    // the server's capacity as serve would take it from the same environment and flags
    Map<String, String> env = SeedtestCli.environment(command);
    ServeSettings server = capacity.apply(ServeSettings.fromEnvironment(env));
    CommonOptions.requirePositive("--rate-seconds", rateSeconds);
    rates.forEach(r -> CommonOptions.requirePositive("--rates", r));
    return new IrtUpdateBenchmark().run(new IrtUpdateBenchmark.Options(databaseUrl, students, requests, seconds,
        concurrency, warmup, batchSessions, server.poolSize(), server.threads(), trackingStudents, keep, skipLoad,
        skipBatch, report, seed, synchronousCommit, sweep, skipOpen ? List.of() : rates, rateSeconds, rateWarmupSeconds),
        BenchInvocation.describe(command), SparkSettings.load(env));
  }
}
