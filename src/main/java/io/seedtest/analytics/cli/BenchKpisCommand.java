package io.seedtest.analytics.cli;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.bench.KpiBenchmark;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.sim.SimulationSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench-kpis", mixinStandardHelpOptions = true,
    description = {"Benchmark compute-daily-kpis and detect-inactivity (docs/benchmarks.md, KPIs). Scale: simulated",
        "students sized so that --population of them answer in the 30-day window, in a local Delta lake under",
        "--work; compute-daily-kpis end to end with the time of each stage, its rerun, and detect-inactivity when",
        "1%% of the students cross the 7-day line. Quality: S and P against the simulator's truth on smaller",
        "simulations. Prints the report and writes it to --report (default <work>/report.md). Embedded only."})
final class BenchKpisCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--population", defaultValue = "1000000", paramLabel = "N",
      description = "Students answering in the 30-day window (default: ${DEFAULT-VALUE}).")
  long population;

  @Option(names = "--days", defaultValue = "70", paramLabel = "D",
      description = "Simulated days (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--seed", defaultValue = "" + SimulationSpec.DEFAULT_SEED, description = "Simulation seed.")
  long seed;

  @Option(names = "--work", defaultValue = "target/bench-kpis", paramLabel = "DIR",
      description = "Lake and report directory (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--churn-students", defaultValue = "40000", paramLabel = "N",
      description = "Students in the churn quality simulation (default: ${DEFAULT-VALUE}).")
  int churnStudents;

  @Option(names = "--goal-students", defaultValue = "20000", paramLabel = "N",
      description = "Students in the goal quality simulation (default: ${DEFAULT-VALUE}).")
  int goalStudents;

  @Option(names = "--churn-min-auc-gain", paramLabel = "AUC",
      description = "The churn gate's margin (default: SEEDTEST_CHURN_MIN_AUC_GAIN, else 0.005).")
  String churnMinAucGain;

  @Option(names = "--report", paramLabel = "FILE", description = "Where to write the report (default: <work>/report.md).")
  Path report;

  @ArgGroup(exclusive = true)
  Part part;

  static final class Part {
    @Option(names = "--scale-only", description = "Only the scale run.")
    boolean scaleOnly;

    @Option(names = "--quality-only", description = "Only the quality runs.")
    boolean qualityOnly;
  }

  private double churnGain() {
    String env = SeedtestCli.environment(command).get(Settings.CHURN_MIN_AUC_GAIN);
    if (churnMinAucGain != null) {
      return Settings.churnGain("--churn-min-auc-gain", churnMinAucGain);
    }
    return env == null || env.isBlank() ? Settings.DEFAULT_CHURN_MIN_AUC_GAIN
        : Settings.churnGain(Settings.CHURN_MIN_AUC_GAIN, env);
  }

  @Override
  public Integer call() {
    CommonOptions.requirePositive("--population", population);
    CommonOptions.requireSimulatedDays(days);
    CommonOptions.requirePositive("--churn-students", churnStudents);
    CommonOptions.requirePositive("--goal-students", goalStudents);
    Path dir = work.toAbsolutePath();
    boolean scale = part == null || part.scaleOnly;
    boolean quality = part == null || part.qualityOnly;
    new KpiBenchmark(new KpiBenchmark.Options(population, days, seed, dir, scale, quality, churnStudents,
        goalStudents, report == null ? dir.resolve("report.md") : report, churnGain()))
        .run(SparkSettings.load(SeedtestCli.environment(command)));
    return 0;
  }
}
