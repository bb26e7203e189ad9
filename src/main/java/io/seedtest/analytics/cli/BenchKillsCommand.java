package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.bench.KillBenchmark;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.run.PausePoint;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench-kills", mixinStandardHelpOptions = true,
    description = {"kill -9 aggregate-features-daily at each stage (read, staging-copy, merge-transaction, lake-merge,",
        "ledger-update) in a child JVM against a real PostgreSQL and Delta lake, and print per stage: the target",
        "after the kill (old or new, never half), whether the lock was released, how the next run recorded the",
        "dead run (abandoned), its staging tables dropped, and whether a clean rerun is identical to an",
        "uninterrupted run (docs/benchmarks.md, Kills). Exit code 1 when any promise broke."})
final class BenchKillsCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--database-url", defaultValue = "postgresql://postgres@127.0.0.1:5432/seedtest_bench",
      paramLabel = "URL", description = "The benchmark database (created if missing; its bench_kills_* schemas are replaced).")
  String databaseUrl;

  @Option(names = "--students", defaultValue = "300", description = "Simulated students (default: ${DEFAULT-VALUE}).")
  int students;

  @Option(names = "--days", defaultValue = "14", description = "Simulated days; the kills hit the last (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--seed", defaultValue = "7", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--work", defaultValue = "target/bench-kills", paramLabel = "DIR",
      description = "Lakes and the children's logs (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--stages", split = ",", paramLabel = "STAGE",
      description = "Only these stages (default: all, in order).")
  List<String> stages;

  @Override
  public Integer call() {
    CommonOptions.requirePositive("--students", students);
    CommonOptions.requireSimulatedDays(days);
    List<PausePoint.Stage> chosen = stages == null ? List.of(PausePoint.Stage.values())
        : stages.stream().map(BenchKillsCommand::stage).toList();
    var out = command.commandLine().getOut();
    out.println(BenchInvocation.describe(command));
    List<KillBenchmark.Result> results = new KillBenchmark(new KillBenchmark.Options(databaseUrl,
        KillBenchmark.simulated(students, days, seed), work.toAbsolutePath(), chosen)).run(SparkSessions.getOrCreate("seedtest bench-kills",
        SparkSettings.load(SeedtestCli.environment(command))), out);
    return results.stream().allMatch(KillBenchmark.Result::ok) ? 0 : Errors.INTERNAL;
  }

  private static PausePoint.Stage stage(String label) {
    for (PausePoint.Stage s : PausePoint.Stage.values()) {
      if (s.label().equals(label.trim())) {
        return s;
      }
    }
    throw Errors.unknownBenchStage(label);
  }
}
