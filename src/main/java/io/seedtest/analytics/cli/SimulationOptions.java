package io.seedtest.analytics.cli;

import io.seedtest.analytics.sim.SimulationSpec;
import java.time.LocalDate;
import java.time.ZoneOffset;
import picocli.CommandLine.Option;

/** Size and shape of simulated data, shared by {@code generate} and {@code demo}. */
final class SimulationOptions {
  @Option(names = "--students", description = "Simulated students (default ${DEFAULT-VALUE}).", defaultValue = "2000")
  int students;

  @Option(names = "--items", description = "Items in the bank (default ${DEFAULT-VALUE}).", defaultValue = "1200")
  int items;

  @Option(names = "--days", description = "Simulated days, ending yesterday (UTC) (default ${DEFAULT-VALUE}).",
      defaultValue = "56")
  int days;

  @Option(names = "--seed", description = "Random seed; the same seed gives the same data (default ${DEFAULT-VALUE}).",
      defaultValue = "" + SimulationSpec.DEFAULT_SEED)
  long seed;

  @Option(names = "--recovery", description = "The plain IRT recovery design (θ ~ N(0,1), each student answers "
      + "--items-per-student random items once) instead of realistic learners.")
  boolean recovery;

  @Option(names = "--items-per-student", defaultValue = "60",
      description = "With --recovery: answers per student (default ${DEFAULT-VALUE}).")
  int itemsPerStudent;

  @Option(names = "--leak-items", defaultValue = "0", paramLabel = "N",
      description = "Leaked items (item drift): N items, spread over the bank (ids 1, 1 + stride, ...), whose true b "
          + "drops by --leak-shift from --leak-day on (default ${DEFAULT-VALUE}: none).")
  int leakItems;

  @Option(names = "--leak-shift", defaultValue = "0.8", paramLabel = "LOGITS",
      description = "With --leak-items: how much lower b is after the leak (default ${DEFAULT-VALUE}).")
  double leakShift;

  @Option(names = "--leak-day", paramLabel = "YYYY-MM-DD",
      description = "With --leak-items: the first day of the leak (required with --leak-items).")
  LocalDate leakDay;

  SimulationSpec spec() {
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    SimulationSpec base = recovery
        ? SimulationSpec.recovery(students, items, itemsPerStudent, seed)
        : SimulationSpec.realistic().withStudents(students).withItems(items).withSeed(seed);
    return base.withWindow(yesterday.minusDays(days - 1L), days)
        .withLeak(leakItems == 0 ? io.seedtest.analytics.sim.ItemLeak.NONE
            : new io.seedtest.analytics.sim.ItemLeak(leakItems, leakShift, leakDay));
  }
}
