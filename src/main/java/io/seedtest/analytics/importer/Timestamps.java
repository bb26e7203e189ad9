package io.seedtest.analytics.importer;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Reads an answered-at cell: an instant with a zone or offset ({@code 2026-11-25T09:14:03Z},
 * {@code 2026-11-25T10:14:03+01:00}) as it is; a local date-time ({@code 2026-11-25 09:14:03}) or a
 * date ({@code 2026-11-25}, taken as 12:00) in {@code --timezone}, which is then required (a time
 * without a zone is ambiguous by up to a day, and days decide the windows).
 */
final class Timestamps {
  private final ZoneId zone;

  Timestamps(ZoneId zone) {
    this.zone = zone;
  }

  Instant parse(String raw) {
    String v = raw.trim();
    try {
      return OffsetDateTime.parse(v.replace(' ', 'T')).toInstant();
    } catch (DateTimeParseException ignored) {
      // not zoned: below
    }
    LocalDateTime local;
    try {
      local = LocalDateTime.parse(v.replace(' ', 'T'));
    } catch (DateTimeParseException e) {
      try {
        local = LocalDate.parse(v).atTime(LocalTime.NOON);
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("not a timestamp (expected e.g. 2026-11-25T09:14:03Z, "
            + "2026-11-25 09:14:03 or 2026-11-25)");
      }
    }
    if (zone == null) {
      throw new IllegalArgumentException("has no time zone; pass --timezone (e.g. Europe/Berlin) "
          + "to say which zone the file's times are in");
    }
    return local.atZone(zone).toInstant();
  }
}
