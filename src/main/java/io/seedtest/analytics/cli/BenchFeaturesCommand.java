package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.bench.FeaturesBenchmark;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.sim.SimulationSpec;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench-features", mixinStandardHelpOptions = true,
    description = {"Benchmark aggregate-features-daily on simulated answers in PostgreSQL: the job end to end",
        "(JDBC read -> aggregate -> upsert, and its lake mirror) beside (a) PostgreSQL computing the same table",
        "with one INSERT ... SELECT ... ON CONFLICT and (b) the COPY floor. Prints a table; see docs/benchmarks.md.",
        "Uses its own database (created if missing) with one schema per size, dropped afterwards unless --keep;",
        "DATABASE_URL is ignored on purpose (the benchmark drops schemas)."})
final class BenchFeaturesCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--sizes", paramLabel = "N[,N...]", defaultValue = "1000000,10000000",
      description = "Simulated answers per run, comma-separated; 1M and 250k work too (default ${DEFAULT-VALUE}).")
  String sizes;

  @Option(names = "--database-url", paramLabel = "URL", defaultValue = FeaturesBenchmark.DEFAULT_URL,
      description = "Benchmark database (default ${DEFAULT-VALUE}).")
  String databaseUrl;

  @Option(names = "--days", defaultValue = "91",
      description = "Simulated days ending yesterday (UTC); students are sized to reach the answer count (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--seed", defaultValue = "" + SimulationSpec.DEFAULT_SEED, description = "Simulation seed.")
  long seed;

  @Option(names = "--keep", description = "Keep the schemas (and their data) afterwards.")
  boolean keep;

  @Option(names = "--reuse", description = "Reuse a kept schema's data instead of generating it again.")
  boolean reuse;

  @Option(names = "--jdbc-partitions", paramLabel = "N",
      description = "JDBC read partitions (default: SEEDTEST_JDBC_PARTITIONS, else the job's default).")
  Integer jdbcPartitions;

  @Option(names = "--shuffle-partitions", paramLabel = "N",
      description = "spark.sql.shuffle.partitions (default: as the job runs, SEEDTEST_SHUFFLE_PARTITIONS or 8).")
  Integer shufflePartitions;

  @Option(names = "--steps", paramLabel = "STEP[,STEP...]", split = ",",
      description = "Only these of: floor, read, spark, rerun, baseline, full_baseline, profile"
          + " (default: all but profile, a stage-by-stage diagnostic).")
  List<String> steps;

  @Option(names = "--baseline-work-mem", paramLabel = "SIZE",
      description = "SET work_mem for the PostgreSQL baseline, e.g. 256MB (default: the server's).")
  String baselineWorkMem;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the table and details as Markdown.")
  Path report;

  @Override
  public Integer call() {
    Set<FeaturesBenchmark.Step> selected = FeaturesBenchmark.Step.defaults();
    if (steps != null && !steps.isEmpty()) {
      selected = EnumSet.noneOf(FeaturesBenchmark.Step.class);
      for (String s : steps) {
        try {
          selected.add(FeaturesBenchmark.Step.valueOf(s.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw Errors.badSetting("--steps", s, "floor, read, spark, rerun, baseline, full_baseline or profile");
        }
      }
    }
    CommonOptions.requireSimulatedDays(days);
    Map<String, String> env = SeedtestCli.environment(command);
    int partitions = jdbcPartitions != null ? jdbcPartitions : Settings.load(env, databaseUrl, null).jdbcPartitions();
    var options = new FeaturesBenchmark.Options(FeaturesBenchmark.parseSizes(sizes), databaseUrl, days, seed, keep,
        reuse, partitions, shufflePartitions, selected, baselineWorkMem, report, BenchInvocation.describe(command));
    new FeaturesBenchmark(options, System.out).run(SparkSettings.load(env));
    return 0;
  }
}
