package io.seedtest.analytics.run;

import io.seedtest.analytics.Errors;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** An inclusive range of UTC days a run covers: one day for a nightly run, many for a backfill. */
public record DateWindow(LocalDate from, LocalDate to) implements Serializable {
  public DateWindow {
    if (from == null || to == null) {
      throw Errors.badWindow("both ends must be set");
    }
    if (to.isBefore(from)) {
      throw Errors.badWindow("--to " + to + " is before --from " + from);
    }
  }

  public static DateWindow day(LocalDate d) {
    return new DateWindow(d, d);
  }

  /** Yesterday in UTC: what a nightly run covers when no date is given. */
  public static DateWindow yesterdayUtc() {
    return day(LocalDate.now(ZoneOffset.UTC).minusDays(1));
  }

  public static LocalDate parseDate(String option, String value) {
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException | NullPointerException e) {
      throw Errors.badDate(option, String.valueOf(value));
    }
  }

  public long days() {
    return ChronoUnit.DAYS.between(from, to) + 1;
  }

  /** Exclusive upper bound, the day after {@link #to()}. */
  public LocalDate endExclusive() {
    return to.plusDays(1);
  }

  @Override
  public String toString() {
    return from.equals(to) ? from.toString() : from + ".." + to;
  }
}
