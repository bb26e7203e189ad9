package io.seedtest.analytics.sim;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.SeedtestException;
import java.util.List;

/** The simulator's user-facing errors, in the shape of {@link Errors}: what, why, what to do. */
final class SimErrors {
  private SimErrors() {}

  static SeedtestException badSpec(String field, Object value, String expected) {
    return new SeedtestException(
        "Simulation setting " + field + "=" + value + " is invalid: expected " + expected
            + ". Fix the generate option and run again.",
        Errors.CONFIG, null);
  }

  static SeedtestException targetExists(String where, List<String> nonEmpty) {
    return new SeedtestException(
        "generate refused to write into " + where + ": " + String.join(", ", nonEmpty)
            + (nonEmpty.size() == 1 ? " already has rows" : " already have rows")
            + ", and simulated data must not mix with other data. Pass --replace to truncate"
            + " exam_results, item_bank, sim_* and goals first, or point DATABASE_URL at an empty database.",
        Errors.CONFIG, null);
  }

  static SeedtestException lakeTruthExists(String lake) {
    return new SeedtestException(
        "generate refused to write the simulated truth into the lake at " + lake + ": it already holds another"
            + " data set's truth (sim_spec, sim_items, sim_students, ...), which the new PostgreSQL data would not"
            + " match. Pass --replace to overwrite it too, or --lake to write the truth somewhere else.",
        Errors.CONFIG, null);
  }
}
