package io.seedtest.analytics.kpi;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.ServingTables;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The churn models known to a run: those in churn_models (PostgreSQL, or the lake in embedded
 * mode) plus the ones the run trained itself. Which model scores day d:
 *
 * <ul>
 *   <li>the nightly run for d uses the model serving from d (trained by the previous night's run
 *       on outcomes known by the end of d − 1), training it first when it is missing;
 *   <li>the trigger during d uses the newest model serving from d or earlier and never trains;
 *       once the previous night's run has finished that is the same model as the nightly run's.
 * </ul>
 */
public final class ChurnModels {
  private final TreeMap<LocalDate, ChurnModel> byDay = new TreeMap<>();

  public static ChurnModels load(SparkSession spark, Settings settings) {
    ChurnModels m = new ChurnModels();
    ServingTables.readIfExists(spark, settings, KpiTables.CHURN_MODELS)
        .ifPresent(t -> t.collectAsList().forEach(r -> m.add(ChurnModel.fromRow(r))));
    return m;
  }

  public static ChurnModels of(ChurnModel... models) {
    ChurnModels m = new ChurnModels();
    for (ChurnModel x : models) {
      m.add(x);
    }
    return m;
  }

  public void add(ChurnModel model) {
    byDay.put(model.servesFrom(), model);
  }

  /** The model trained to serve from exactly {@code day}. */
  public Optional<ChurnModel> servingFrom(LocalDate day) {
    return Optional.ofNullable(byDay.get(day));
  }

  /** The newest model serving {@code day} (serves_from ≤ day). */
  public Optional<ChurnModel> newestFor(LocalDate day) {
    Map.Entry<LocalDate, ChurnModel> e = byDay.floorEntry(day);
    return e == null ? Optional.empty() : Optional.of(e.getValue());
  }

  public int size() {
    return byDay.size();
  }

  static ChurnModel fromRow(Row r) {
    return ChurnModel.fromRow(r);
  }
}
