package io.seedtest.analytics.sim;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.io.Attempts;
import java.io.Serializable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Turns a {@link SimulationSpec} into {@link SimulatedData}. The item bank is generated on the
 * driver and broadcast; students are generated on the executors: {@code spark.range} of user ids,
 * and per partition one {@link StudentSimulator} whose output for a user depends only on (seed,
 * user id), so the rows do not depend on the number of partitions. Each output Dataset re-runs the
 * (cheap) simulation and keeps only its projection, so nothing has to be cached; writing
 * dominates the cost.
 */
public final class Simulator {
  /** Auto-partitioning aims at about this many answers per task. */
  static final long ANSWERS_PER_PARTITION = 2_000_000L;
  private static final int ESTIMATE_SAMPLE = 300;

  private Simulator() {}

  public static SimulatedData generate(SparkSession spark, SimulationSpec spec) {
    ItemBank bank = ItemBank.generate(spec);
    int partitions = spec.partitions() > 0 ? spec.partitions() : autoPartitions(spark, spec, bank);
    Broadcast<ItemBank> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bank);
    Values values = new Values(java8DateTime(spark), spec.startDay());
    Dataset<Long> users = spark.range(1, spec.students() + 1L, 1L, partitions);

    Dataset<Row> attempts = project(users, spec, shared, values, Projection.ATTEMPTS, Attempts.SCHEMA);
    Dataset<Row> examResults = project(users, spec, shared, values, Projection.EXAM_RESULTS, SimTables.EXAM_RESULTS_SCHEMA);
    Dataset<Row> students = project(users, spec, shared, values, Projection.STUDENTS, SimTables.SIM_STUDENTS_SCHEMA);
    Dataset<Row> days = project(users, spec, shared, values, Projection.STUDENT_DAYS, SimTables.SIM_STUDENT_DAYS_SCHEMA);
    Dataset<Row> goals = project(users, spec, shared, values, Projection.GOALS, SimTables.GOALS_SCHEMA);

    List<Row> bankRows = new ArrayList<>(bank.size());
    List<Row> itemRows = new ArrayList<>(bank.size());
    for (int j = 0; j < bank.size(); j++) {
      bankRows.add(RowFactory.create(bank.itemId(j), bank.topicOf(j)));
      itemRows.add(RowFactory.create(bank.itemId(j), bank.topicOf(j), bank.a(j), bank.b(j), bank.c(j),
          bank.timeIntensity(j), bank.timeSd(j)));
    }
    Dataset<Row> itemBank = spark.createDataFrame(bankRows, SimTables.ITEM_BANK_SCHEMA);
    Dataset<Row> truthItems = spark.createDataFrame(itemRows, SimTables.SIM_ITEMS_SCHEMA);
    Dataset<Row> specRow = spark.createDataFrame(List.of(RowFactory.create(spec.mode().name(), spec.seed(),
        spec.students(), spec.items(), spec.topics(), values.date(0), spec.days(), spec.meanSessionsPerActiveDay(),
        spec.minAnswersPerSession(), spec.maxAnswersPerSession(), spec.itemsPerStudent())), SimTables.SIM_SPEC_SCHEMA);
    List<Row> itemInjections = new ArrayList<>();
    for (int j = 0; j < bank.size(); j++) {
      if (bank.leaked(j)) {
        itemInjections.add(RowFactory.create(SimTables.LEAKED_ITEM, null, bank.itemId(j), null, null,
            String.format(java.util.Locale.ROOT, "b %.2f lower from %s", spec.leak().shift(), spec.leak().day())));
      }
      if (bank.misfit(j)) {
        itemInjections.add(RowFactory.create(SimTables.MISFIT_ITEM, null, bank.itemId(j), null, null,
            "bump: c + (1 - c) exp(-(theta - b)^2 / 2)"));
      }
    }
    Dataset<Row> injections = spark.createDataFrame(itemInjections, SimTables.SIM_INJECTIONS_SCHEMA);
    if (spec.rapidGuessing().any()) {
      // only then: the projection simulates every student once more
      injections = injections.union(project(users, spec, shared, values, Projection.INJECTIONS,
          SimTables.SIM_INJECTIONS_SCHEMA));
    }
    return new SimulatedData(spec, attempts, examResults, itemBank, truthItems, students, days, goals, specRow,
        injections);
  }

  /**
   * The spec with as many students as it takes for about {@code targetAnswers} answers (the mean
   * answers per student is measured by simulating a sample on the driver).
   */
  public static SimulationSpec sizedFor(SimulationSpec spec, long targetAnswers) {
    if (targetAnswers < 1) {
      throw Errors.badSimulationSetting("answers", targetAnswers, "a positive whole number");
    }
    double perStudent = answersPerStudent(spec, ItemBank.generate(spec), 2_000);
    long students = Math.max(1L, Math.round(targetAnswers / perStudent));
    if (students > SimulationSpec.MAX_STUDENTS) {
      throw Errors.badSimulationSetting("answers", targetAnswers,
          "at most about " + (long) (perStudent * SimulationSpec.MAX_STUDENTS) + " for this spec");
    }
    return spec.withStudents((int) students);
  }

  /** Mean answers per student, from simulating {@code sample} students on the driver. */
  static double answersPerStudent(SimulationSpec spec, ItemBank bank, int sample) {
    SimulationSpec sized = spec.withSeed(Rand.mix64(spec.seed() ^ Rand.SAMPLE));
    StudentSimulator sim = new StudentSimulator(sized, bank);
    long total = 0;
    for (int u = 1; u <= sample; u++) {
      total += sim.simulate(u).student().answers();
    }
    return Math.max(1.0, (double) total / sample);
  }

  private static int autoPartitions(SparkSession spark, SimulationSpec spec, ItemBank bank) {
    int parallelism = Math.max(1, spark.sparkContext().defaultParallelism());
    double expected = answersPerStudent(spec, bank, Math.min(ESTIMATE_SAMPLE, spec.students())) * spec.students();
    long wanted = (long) Math.ceil(expected / ANSWERS_PER_PARTITION);
    long rounded = ((Math.max(wanted, 1) + parallelism - 1) / parallelism) * parallelism;
    return (int) Math.max(1, Math.min(rounded, spec.students()));
  }

  private static boolean java8DateTime(SparkSession spark) {
    return Boolean.parseBoolean(spark.conf().get("spark.sql.datetime.java8API.enabled", "false"));
  }

  private static Dataset<Row> project(Dataset<Long> users, SimulationSpec spec, Broadcast<ItemBank> bank,
      Values values, Projection projection, StructType schema) {
    return users.mapPartitions(new Generate(spec, bank, values, projection), Encoders.row(schema));
  }

  enum Projection { ATTEMPTS, EXAM_RESULTS, STUDENTS, STUDENT_DAYS, GOALS, INJECTIONS }

  /** Per partition: simulate each user id and emit the rows of one projection, lazily. */
  private static final class Generate implements MapPartitionsFunction<Long, Row> {
    private static final long serialVersionUID = 1L;
    private final SimulationSpec spec;
    private final Broadcast<ItemBank> bank;
    private final Values values;
    private final Projection projection;

    Generate(SimulationSpec spec, Broadcast<ItemBank> bank, Values values, Projection projection) {
      this.spec = spec;
      this.bank = bank;
      this.values = values;
      this.projection = projection;
    }

    @Override
    public Iterator<Row> call(Iterator<Long> users) {
      ItemBank items = bank.value();
      StudentSimulator sim = new StudentSimulator(spec, items);
      return new Iterator<>() {
        private List<Row> current = Collections.emptyList();
        private int next;

        @Override
        public boolean hasNext() {
          while (next >= current.size()) {
            if (!users.hasNext()) {
              return false;
            }
            long user = users.next();
            current = projection == Projection.GOALS ? goal(user, sim.goal(user)) : rows(sim.simulate(user), items);
            next = 0;
          }
          return true;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return current.get(next++);
        }
      };
    }

    private List<Row> goal(long user, StudentHistory.Goal goal) {
      return goal == null ? List.of()
          : List.of(RowFactory.create(user, goal.targetTheta(), values.date(goal.goalDay())));
    }

    private List<Row> rows(StudentHistory h, ItemBank items) {
      return switch (projection) {
        case ATTEMPTS -> values.attempts(h, items);
        case EXAM_RESULTS -> values.examResults(h, items);
        case STUDENTS -> List.of(values.student(h.student()));
        case STUDENT_DAYS -> values.days(h);
        case INJECTIONS -> values.rapidGuesses(h, items);
        case GOALS -> throw new IllegalStateException("goals are drawn without a history");
      };
    }
  }

  /** Row values in the Java types the row encoder expects (java.time or java.sql). */
  static final class Values implements Serializable {
    private static final long serialVersionUID = 1L;
    private final boolean java8;
    private final LocalDate start;

    Values(boolean java8, LocalDate start) {
      this.java8 = java8;
      this.start = start;
    }

    Object ts(long epochSecond) {
      return java8 ? Instant.ofEpochSecond(epochSecond) : new Timestamp(epochSecond * 1000L);
    }

    Object date(int dayIndex) {
      LocalDate d = start.plusDays(dayIndex);
      return java8 ? d : Date.valueOf(d);
    }

    static Double nullable(double v) {
      return Double.isNaN(v) ? null : v;
    }

    List<Row> attempts(StudentHistory h, ItemBank items) {
      List<Row> rows = new ArrayList<>(h.student().answers());
      Long user = h.student().userId();
      for (StudentHistory.Session s : h.sessions()) {
        Object finished = ts(s.finishedAt());
        for (int k = 0; k < s.size(); k++) {
          int j = s.items()[k];
          rows.add(RowFactory.create(s.resultId(), s.sessionId(), user, k + 1, items.itemId(j), items.topicOf(j),
              s.correct()[k], (double) s.responseTimeMs()[k], s.hints()[k], ts(s.answeredAt()[k]), finished));
        }
      }
      return rows;
    }

    List<Row> examResults(StudentHistory h, ItemBank items) {
      List<Row> rows = new ArrayList<>(h.sessions().size());
      for (StudentHistory.Session s : h.sessions()) {
        rows.add(RowFactory.create(s.resultId(), s.sessionId(), h.student().userId(), ts(s.startedAt()),
            ts(s.finishedAt()), ResponsesJson.of(s, items)));
      }
      return rows;
    }

    Row student(StudentHistory.Student s) {
      return RowFactory.create(s.userId(), s.theta0(), s.learningRate(), nullable(s.engagement()), s.speed(),
          s.hintPropensity(), nullable(s.breakPropensity()), date(s.joinDay()),
          s.churnDay() < 0 ? null : date(s.churnDay()), s.finalTheta(), s.sessions(), s.answers());
    }

    /** A rapid guesser's row and one row per rapid guess of hers; nothing for other students. */
    List<Row> rapidGuesses(StudentHistory h, ItemBank items) {
      List<Row> rows = new ArrayList<>();
      Long user = h.student().userId();
      for (StudentHistory.Session s : h.sessions()) {
        if (s.rapid() == null) {
          continue;
        }
        if (rows.isEmpty()) {
          rows.add(RowFactory.create(SimTables.RAPID_GUESSER, user, null, null, null, null));
        }
        for (int k = 0; k < s.size(); k++) {
          if (s.rapid(k)) {
            rows.add(RowFactory.create(SimTables.RAPID_GUESS, user, items.itemId(s.items()[k]), s.resultId(), k + 1,
                null));
          }
        }
      }
      return rows;
    }

    List<Row> days(StudentHistory h) {
      List<Row> rows = new ArrayList<>(h.days().size());
      Long user = h.student().userId();
      for (StudentHistory.Day d : h.days()) {
        rows.add(RowFactory.create(user, date(d.day()), d.theta(), d.active(), d.sessions(), d.answers(),
            d.pSession(), d.churnHazard(), d.churned()));
      }
      return rows;
    }
  }
}
