package io.seedtest.analytics.kpi;

import io.seedtest.analytics.config.Settings;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What one KPI computation is "as of": the week-ending day, the instant its inputs are cut at (the
 * end of the day for the nightly run; the run's clock for the trigger during the day), and the
 * KPI settings of the mission ({@code KPI_LOOKBACK_DAYS}, {@code METRICS_DEFAULT_TARGET},
 * {@code METRICS_USE_BAYESIAN}, parsed and checked once by {@link Settings}).
 *
 * @param day the week-ending day t: the week is [t − 6, t]
 * @param cutoff inputs are those strictly before this instant (answers, ability estimates)
 * @param lookbackDays the population is every student with an answer in [t − lookback + 1, t]
 * @param defaultTarget the target θ of a student without a goal
 * @param bayesian A_t shrunk toward the population (Beta-Binomial); P with the trend's uncertainty
 * @param computedBy 'daily' or 'trigger', recorded on every row
 */
public record KpiParams(LocalDate day, Instant cutoff, int lookbackDays, double defaultTarget, boolean bayesian,
    String computedBy) implements Serializable {

  public KpiParams {
    if (lookbackDays < 1) {
      throw new IllegalArgumentException("lookbackDays must be positive: " + lookbackDays);
    }
  }

  /** The nightly run's parameters for day t: inputs up to the end of t. */
  public static KpiParams daily(LocalDate day, Settings s) {
    return new KpiParams(day, startOf(day.plusDays(1)), s.kpiLookbackDays(), s.defaultTarget(), s.useBayesian(),
        KpiTables.COMPUTED_BY_DAILY);
  }

  /** The trigger's parameters for day t at {@code now}: inputs up to now, or the end of t if t is over. */
  public static KpiParams trigger(LocalDate day, Instant now, Settings s) {
    Instant end = startOf(day.plusDays(1));
    return new KpiParams(day, now.isBefore(end) ? now : end, s.kpiLookbackDays(), s.defaultTarget(),
        s.useBayesian(), KpiTables.COMPUTED_BY_TRIGGER);
  }

  public KpiParams withDay(LocalDate d) {
    return new KpiParams(d, startOf(d.plusDays(1)), lookbackDays, defaultTarget, bayesian, computedBy);
  }

  /** First day of the population window. */
  public LocalDate windowStart() {
    return day.minusDays(lookbackDays - 1L);
  }

  public static Instant startOf(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
