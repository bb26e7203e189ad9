package io.seedtest.analytics.cli;

import io.seedtest.analytics.bench.CalibrationBenchmark;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.run.DateWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench-calibration", mixinStandardHelpOptions = true,
    description = {"Benchmark calibrate-irt on the standard recovery sets (1.2M and 6M answers), generated into a",
        "temporary lake: end-to-end time, iterations, seconds per EM iteration against the single-threaded",
        "plain-Java floor, local[1] vs local[2] speed-up, recovery with priors on and off, the table by",
        "answers per item, and peak memory. Prints Markdown and writes <work>/report.md. Embedded only",
        "(DATABASE_URL is ignored). See docs/irt.md."})
final class BenchCalibrationCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--work", paramLabel = "DIR", description = "Work directory for the lakes and the report "
      + "(default: a new temporary directory).")
  Path work;

  @Option(names = "--quick", description = "Only the 1.2M set, no table by answers per item.")
  boolean quick;

  @Option(names = "--keep", description = "Keep the generated lakes afterwards.")
  boolean keep;

  @Option(names = "--em-speed", hidden = true, paramLabel = "MODE",
      description = "Internal: time EM iterations in this JVM (plain, local[1], local[2]) and print one line.")
  String emSpeed;

  @Option(names = "--lake", hidden = true, paramLabel = "PATH")
  Path lake;

  @Option(names = "--as-of", hidden = true, paramLabel = "YYYY-MM-DD")
  String asOf;

  @Override
  public Integer call() throws Exception {
    if (emSpeed != null) {
      CalibrationBenchmark.speed(emSpeed, lake, DateWindow.parseDate("--as-of", asOf), spark(), System.out);
      return 0;
    }
    Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("seedtest-bench-calibration-");
    new CalibrationBenchmark(new CalibrationBenchmark.Options(dir, quick, keep, BenchInvocation.describe(command)),
        System.out).run(spark());
    return 0;
  }

  private SparkSettings spark() {
    return SparkSettings.load(SeedtestCli.environment(command));
  }
}
