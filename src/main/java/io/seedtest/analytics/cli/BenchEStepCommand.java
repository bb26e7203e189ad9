package io.seedtest.analytics.cli;

import io.seedtest.analytics.bench.EStepFloorBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-estep", mixinStandardHelpOptions = true,
    description = {"One EM E-step (61 nodes, 3PL) on the calibration benchmark's 1.2M- and 6M-answer sets, in",
        "C built with gcc -O3 -march=native (1 and 2 threads; skipped without gcc) and in plain Java",
        "(EStep.local, 1 and 2 threads): best seconds per E-step and answer·node updates per second.",
        "No Spark, no database. See docs/irt.md."})
final class BenchEStepCommand implements Callable<Integer> {
  @Option(names = "--repeats", paramLabel = "N", description = "Timed passes per kernel, best kept (default 5).")
  int repeats = 5;

  @Option(names = "--quick", description = "Only the 1.2M set.")
  boolean quick;

  @Override
  public Integer call() throws Exception {
    CommonOptions.requirePositive("--repeats", repeats);
    new EStepFloorBenchmark(repeats, quick, System.out).run();
    return 0;
  }
}
