package io.seedtest.analytics.importer;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * What {@code seedtest import} is asked to load.
 *
 * @param file the answers: .csv (header row) or .parquet (file or directory)
 * @param shape LONG (one row per answer), WIDE (one row per student, one column per item) or null
 *     to tell from the columns (LONG when it has a user and an item column)
 * @param keyFile CSV {@code item,key}: the answers are raw options, scored against it; or null
 * @param missingCode the code of an unanswered item besides an empty cell, or null
 * @param zone the zone of timestamps written without one, or null (then such a timestamp is an error)
 * @param examDate the day of the answers when the file has no timestamps, or null
 * @param topic the topic of items the file gives none for
 * @param userColumn WIDE: the column naming the student (default: the first column)
 */
public record ImportOptions(String file, Shape shape, String keyFile, String missingCode, ZoneId zone,
    LocalDate examDate, String topic, String userColumn) implements Serializable {

  /** The two layouts of an answer file. */
  public enum Shape { LONG, WIDE }

  public static ImportOptions of(String file) {
    return new ImportOptions(file, null, null, null, null, null, "imported", null);
  }

  public ImportOptions withShape(Shape s) {
    return new ImportOptions(file, s, keyFile, missingCode, zone, examDate, topic, userColumn);
  }

  public ImportOptions withKey(String key, String missing) {
    return new ImportOptions(file, shape, key, missing, zone, examDate, topic, userColumn);
  }

  public ImportOptions withTime(ZoneId z, LocalDate date) {
    return new ImportOptions(file, shape, keyFile, missingCode, z, date, topic, userColumn);
  }

  public ImportOptions withTopic(String t) {
    return new ImportOptions(file, shape, keyFile, missingCode, zone, examDate, t, userColumn);
  }
}
