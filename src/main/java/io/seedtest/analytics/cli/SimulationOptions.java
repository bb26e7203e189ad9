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

  @Option(names = "--rapid-guessers", defaultValue = "0", paramLabel = "SHARE",
      description = "Rapid guessing: a share of the students (0 to 1) who answer --rapid-guess-rate of their answers "
          + "in a few seconds, right with the item's chance c (default ${DEFAULT-VALUE}: none).")
  double rapidGuessers;

  @Option(names = "--rapid-guess-rate", defaultValue = "0.3", paramLabel = "R",
      description = "With --rapid-guessers: the share of a guesser's answers that are rapid guesses (default "
          + "${DEFAULT-VALUE}).")
  double rapidGuessRate;

  @Option(names = "--misfit-items", defaultValue = "0", paramLabel = "K",
      description = "Item misfit: K items whose true response curve is not 3PL but a non-monotone bump "
          + "(default ${DEFAULT-VALUE}: none). The truth table sim_injections names them, the leaked items and "
          + "every rapid guess.")
  int misfitItems;

  SimulationSpec spec() {
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    SimulationSpec base = recovery
        ? SimulationSpec.recovery(students, items, itemsPerStudent, seed)
        : SimulationSpec.realistic().withStudents(students).withItems(items).withSeed(seed);
    return base.withWindow(yesterday.minusDays(days - 1L), days)
        .withLeak(leakItems == 0 ? io.seedtest.analytics.sim.ItemLeak.NONE
            : new io.seedtest.analytics.sim.ItemLeak(leakItems, leakShift, leakDay))
        .withRapidGuessing(rapidGuessers == 0 ? io.seedtest.analytics.sim.RapidGuessing.NONE
            : new io.seedtest.analytics.sim.RapidGuessing(rapidGuessers, rapidGuessRate))
        .withMisfitItems(misfitItems);
  }
}
