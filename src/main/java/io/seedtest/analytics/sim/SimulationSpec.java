package io.seedtest.analytics.sim;

import io.seedtest.analytics.Errors;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * What to simulate. Validated on construction: a bad value fails with one clear line. Build it
 * with {@link #realistic()} or {@link #recovery(int, int, long)} and the {@code with…} methods.
 *
 * @param mode REALISTIC (students who join, learn, take breaks and churn; adaptive-ish sessions)
 *     or RECOVERY (the standard IRT parameter-recovery design: fixed θ ~ N(0,1), a ~ logN(0, 0.25),
 *     b ~ N(0,1), c ~ U(0.10, 0.25), each student answers exactly {@code itemsPerStudent} distinct
 *     items drawn uniformly in one session)
 * @param seed everything is a deterministic function of the spec; the same spec gives the same rows
 * @param students number of students (user ids 1..students)
 * @param items number of items in the bank (item ids 1..items)
 * @param topics number of topics (the first 12 have real names, further ones are topic_13, …)
 * @param startDay first simulated UTC day
 * @param days length of the window in days (REALISTIC: students join uniformly within it)
 * @param meanSessionsPerActiveDay REALISTIC: mean sessions on a day with activity (≥ 1)
 * @param minAnswersPerSession REALISTIC: fewest answers in a session
 * @param maxAnswersPerSession REALISTIC: most answers in a session
 * @param itemsPerStudent RECOVERY: answers per student
 * @param partitions Spark partitions to generate with, 0 = automatic; never changes the data
 * @param leak leaked items whose true b drops from a day on ({@link ItemLeak#NONE} by default)
 * @param rapidGuessing students who rapid-guess a share of their answers ({@link RapidGuessing#NONE} by default)
 * @param misfitItems items whose true response curve is not 3PL ({@link ItemBank#misfit}; 0 by default)
 */
public record SimulationSpec(
    Mode mode,
    long seed,
    int students,
    int items,
    int topics,
    LocalDate startDay,
    int days,
    double meanSessionsPerActiveDay,
    int minAnswersPerSession,
    int maxAnswersPerSession,
    int itemsPerStudent,
    int partitions,
    ItemLeak leak,
    RapidGuessing rapidGuessing,
    int misfitItems) implements Serializable {

  public enum Mode { REALISTIC, RECOVERY }

  public static final long DEFAULT_SEED = 20260901L;
  public static final int DEFAULT_STUDENTS = 2_000;
  public static final int DEFAULT_ITEMS = 1_200;
  public static final int DEFAULT_TOPICS = 12;
  public static final LocalDate DEFAULT_START_DAY = LocalDate.of(2026, 9, 1);
  public static final int DEFAULT_DAYS = 91;
  public static final double DEFAULT_SESSIONS_PER_ACTIVE_DAY = 1.3;
  public static final int DEFAULT_MIN_ANSWERS = 5;
  public static final int DEFAULT_MAX_ANSWERS = 25;
  public static final int DEFAULT_ITEMS_PER_STUDENT = 60;

  /** Upper bounds that keep ids and timestamps in range; far above what one machine generates. */
  public static final int MAX_STUDENTS = 50_000_000;
  public static final int MAX_ITEMS = 1_000_000;
  public static final int MAX_DAYS = 730;
  public static final int MAX_SESSION_ANSWERS = 200;
  public static final int MAX_ITEMS_PER_STUDENT = 500;

  public SimulationSpec {
    if (mode == null) {
      throw Errors.badSimulationSetting("mode", null, "REALISTIC or RECOVERY");
    }
    if (students < 1 || students > MAX_STUDENTS) {
      throw Errors.badSimulationSetting("students", students, "a whole number from 1 to " + MAX_STUDENTS);
    }
    if (topics < 1 || topics > 100) {
      throw Errors.badSimulationSetting("topics", topics, "a whole number from 1 to 100");
    }
    if (items < topics || items > MAX_ITEMS) {
      throw Errors.badSimulationSetting("items", items, "at least one item per topic (" + topics + ") and at most " + MAX_ITEMS);
    }
    if (startDay == null) {
      throw Errors.badSimulationSetting("startDay", null, "a date such as 2026-09-01");
    }
    if (days < 1 || days > MAX_DAYS) {
      throw Errors.badSimulationSetting("days", days, "a whole number from 1 to " + MAX_DAYS);
    }
    if (!(meanSessionsPerActiveDay >= 1.0 && meanSessionsPerActiveDay <= 5.0)) {
      throw Errors.badSimulationSetting("meanSessionsPerActiveDay", meanSessionsPerActiveDay, "a number from 1.0 to 5.0");
    }
    if (minAnswersPerSession < 1 || minAnswersPerSession > MAX_SESSION_ANSWERS) {
      throw Errors.badSimulationSetting("minAnswersPerSession", minAnswersPerSession, "a whole number from 1 to " + MAX_SESSION_ANSWERS);
    }
    if (maxAnswersPerSession < minAnswersPerSession || maxAnswersPerSession > MAX_SESSION_ANSWERS) {
      throw Errors.badSimulationSetting("maxAnswersPerSession", maxAnswersPerSession,
          "a whole number from minAnswersPerSession (" + minAnswersPerSession + ") to " + MAX_SESSION_ANSWERS);
    }
    if (mode == Mode.REALISTIC && maxAnswersPerSession > items) {
      throw Errors.badSimulationSetting("maxAnswersPerSession", maxAnswersPerSession,
          "at most the number of items (" + items + "), since a session never repeats an item");
    }
    if (itemsPerStudent < 1 || itemsPerStudent > MAX_ITEMS_PER_STUDENT) {
      throw Errors.badSimulationSetting("itemsPerStudent", itemsPerStudent, "a whole number from 1 to " + MAX_ITEMS_PER_STUDENT);
    }
    if (mode == Mode.RECOVERY && itemsPerStudent > items) {
      throw Errors.badSimulationSetting("itemsPerStudent", itemsPerStudent,
          "at most the number of items (" + items + "), since each student answers distinct items");
    }
    if (partitions < 0 || partitions > 100_000) {
      throw Errors.badSimulationSetting("partitions", partitions, "0 (automatic) or a whole number up to 100000");
    }
    if (leak == null) {
      leak = ItemLeak.NONE;
    }
    if (leak.items() > items) {
      throw Errors.badSimulationSetting("leakItems", leak.items(), "at most the number of items (" + items + ")");
    }
    if (rapidGuessing == null) {
      rapidGuessing = RapidGuessing.NONE;
    }
    if (misfitItems < 0 || misfitItems > items) {
      throw Errors.badSimulationSetting("misfitItems", misfitItems, "0 (none) to the number of items (" + items + ")");
    }
  }

  /** Without leaked items. */
  public SimulationSpec(Mode mode, long seed, int students, int items, int topics, LocalDate startDay, int days,
      double meanSessionsPerActiveDay, int minAnswersPerSession, int maxAnswersPerSession, int itemsPerStudent,
      int partitions) {
    this(mode, seed, students, items, topics, startDay, days, meanSessionsPerActiveDay, minAnswersPerSession,
        maxAnswersPerSession, itemsPerStudent, partitions, ItemLeak.NONE, RapidGuessing.NONE, 0);
  }

  /** The default REALISTIC spec: 2,000 students, 1,200 items in 12 topics, 91 days from 2026-09-01. */
  public static SimulationSpec realistic() {
    return new SimulationSpec(Mode.REALISTIC, DEFAULT_SEED, DEFAULT_STUDENTS, DEFAULT_ITEMS, DEFAULT_TOPICS,
        DEFAULT_START_DAY, DEFAULT_DAYS, DEFAULT_SESSIONS_PER_ACTIVE_DAY, DEFAULT_MIN_ANSWERS,
        DEFAULT_MAX_ANSWERS, DEFAULT_ITEMS_PER_STUDENT, 0);
  }

  /** The standard IRT recovery design: each of {@code students} answers 60 of {@code items}. */
  public static SimulationSpec recovery(int students, int items, long seed) {
    return recovery(students, items, DEFAULT_ITEMS_PER_STUDENT, seed);
  }

  /** The standard IRT recovery design: each of {@code students} answers {@code itemsPerStudent} of {@code items}. */
  public static SimulationSpec recovery(int students, int items, int itemsPerStudent, long seed) {
    return new SimulationSpec(Mode.RECOVERY, seed, students, items, DEFAULT_TOPICS, DEFAULT_START_DAY, DEFAULT_DAYS,
        DEFAULT_SESSIONS_PER_ACTIVE_DAY, DEFAULT_MIN_ANSWERS, DEFAULT_MAX_ANSWERS, itemsPerStudent, 0);
  }

  /** Last simulated day (inclusive). */
  public LocalDate endDay() {
    return startDay.plusDays(days - 1L);
  }

  public SimulationSpec withMode(Mode v) {
    return new SimulationSpec(v, seed, students, items, topics, startDay, days, meanSessionsPerActiveDay,
        minAnswersPerSession, maxAnswersPerSession, itemsPerStudent, partitions, leak, rapidGuessing, misfitItems);
  }

  public SimulationSpec withSeed(long v) {
    return new SimulationSpec(mode, v, students, items, topics, startDay, days, meanSessionsPerActiveDay,
        minAnswersPerSession, maxAnswersPerSession, itemsPerStudent, partitions, leak, rapidGuessing, misfitItems);
  }

  public SimulationSpec withStudents(int v) {
    return new SimulationSpec(mode, seed, v, items, topics, startDay, days, meanSessionsPerActiveDay,
        minAnswersPerSession, maxAnswersPerSession, itemsPerStudent, partitions, leak, rapidGuessing, misfitItems);
  }

  public SimulationSpec withItems(int v) {
    return new SimulationSpec(mode, seed, students, v, topics, startDay, days, meanSessionsPerActiveDay,
        minAnswersPerSession, maxAnswersPerSession, itemsPerStudent, partitions, leak, rapidGuessing, misfitItems);
  }

  public SimulationSpec withTopics(int v) {
    return new SimulationSpec(mode, seed, students, items, v, startDay, days, meanSessionsPerActiveDay,
        minAnswersPerSession, maxAnswersPerSession, itemsPerStudent, partitions, leak, rapidGuessing, misfitItems);
  }

  public SimulationSpec withWindow(LocalDate start, int numberOfDays) {
    return new SimulationSpec(mode, seed, students, items, topics, start, numberOfDays, meanSessionsPerActiveDay,
        minAnswersPerSession, maxAnswersPerSession, itemsPerStudent, partitions, leak, rapidGuessing, misfitItems);
  }

  public SimulationSpec withSessions(double meanPerActiveDay, int minAnswers, int maxAnswers) {
    return new SimulationSpec(mode, seed, students, items, topics, startDay, days, meanPerActiveDay,
        minAnswers, maxAnswers, itemsPerStudent, partitions, leak, rapidGuessing, misfitItems);
  }

  public SimulationSpec withItemsPerStudent(int v) {
    return new SimulationSpec(mode, seed, students, items, topics, startDay, days, meanSessionsPerActiveDay,
        minAnswersPerSession, maxAnswersPerSession, v, partitions, leak, rapidGuessing, misfitItems);
  }

  public SimulationSpec withLeak(ItemLeak v) {
    return new SimulationSpec(mode, seed, students, items, topics, startDay, days, meanSessionsPerActiveDay,
        minAnswersPerSession, maxAnswersPerSession, itemsPerStudent, partitions, v, rapidGuessing, misfitItems);
  }

  public SimulationSpec withRapidGuessing(RapidGuessing v) {
    return new SimulationSpec(mode, seed, students, items, topics, startDay, days, meanSessionsPerActiveDay,
        minAnswersPerSession, maxAnswersPerSession, itemsPerStudent, partitions, leak, v, misfitItems);
  }

  public SimulationSpec withMisfitItems(int v) {
    return new SimulationSpec(mode, seed, students, items, topics, startDay, days, meanSessionsPerActiveDay,
        minAnswersPerSession, maxAnswersPerSession, itemsPerStudent, partitions, leak, rapidGuessing, v);
  }

  public SimulationSpec withPartitions(int v) {
    return new SimulationSpec(mode, seed, students, items, topics, startDay, days, meanSessionsPerActiveDay,
        minAnswersPerSession, maxAnswersPerSession, itemsPerStudent, v, leak, rapidGuessing, misfitItems);
  }
}
