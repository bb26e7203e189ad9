package io.seedtest.analytics.sim;

import io.seedtest.analytics.testing.SparkTestSession;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.io.Lake;
import java.time.LocalDate;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class SimulatorTest {
  private static final SimulationSpec SMALL =
      SimulationSpec.realistic().withStudents(300).withWindow(LocalDate.of(2026, 9, 1), 45);
  private static SparkSession spark;
  private static SimulatedData data;

  @BeforeAll
  static void generate() {
    spark = SparkTestSession.get();
    SimulatedData generated = Simulator.generate(spark, SMALL.withPartitions(1));
    // cached for the many small queries below; the determinism test recomputes from scratch
    data = new SimulatedData(generated.spec(), generated.attempts().cache(), generated.examResults().cache(),
        generated.itemBank().cache(), generated.truthItems().cache(), generated.truthStudents().cache(),
        generated.truthStudentDays().cache(), generated.goals().cache(), generated.specRow(),
        generated.injections());
  }

  @Test
  void theSameSeedGivesTheSameRowsWhateverThePartitioning() {
    SimulatedData other = Simulator.generate(spark, SMALL.withPartitions(3));
    assertThat(other.attempts().rdd().getNumPartitions()).isEqualTo(3);
    assertThat(data.attempts().count()).isGreaterThan(5_000);
    assertThat(SimDatasets.sortedRows(other.attempts())).isEqualTo(SimDatasets.sortedRows(data.attempts()));
    assertThat(SimDatasets.sortedRows(other.examResults())).isEqualTo(SimDatasets.sortedRows(data.examResults()));
    assertThat(SimDatasets.sortedRows(other.truthStudents())).isEqualTo(SimDatasets.sortedRows(data.truthStudents()));
    assertThat(SimDatasets.sortedRows(other.truthStudentDays())).isEqualTo(SimDatasets.sortedRows(data.truthStudentDays()));
    assertThat(SimDatasets.sortedRows(other.goals())).isEqualTo(SimDatasets.sortedRows(data.goals()));
    assertThat(SimDatasets.sortedRows(other.truthItems())).isEqualTo(SimDatasets.sortedRows(data.truthItems()));
  }

  @Test
  void anotherSeedGivesOtherRows() {
    SimulatedData other = Simulator.generate(spark, SMALL.withSeed(SMALL.seed() + 1));
    assertThat(SimDatasets.sortedRows(other.truthItems())).doesNotContainAnyElementsOf(SimDatasets.sortedRows(data.truthItems()));
    assertThat(SimDatasets.sortedRows(other.truthStudents()))
        .doesNotContainAnyElementsOf(SimDatasets.sortedRows(data.truthStudents()));
  }

  @Test
  void attemptsHaveTheContractSchemaAndSaneValues() {
    assertThat(data.attempts().schema()).isEqualTo(Attempts.SCHEMA);
    assertThat(data.examResults().schema()).isEqualTo(SimTables.EXAM_RESULTS_SCHEMA);
    Row r = data.attempts().agg(min("response_time_ms"), min("hints_used"), max("hints_used"), min("seq"),
        count("*"), countDistinct("session_id"), countDistinct("result_id"), countDistinct("user_id")).first();
    assertThat(r.getDouble(0)).isPositive();
    assertThat(r.getInt(1)).isZero();
    assertThat(r.getInt(2)).isEqualTo(3);
    assertThat(r.getInt(3)).isEqualTo(1);
    assertThat(r.getLong(5)).isEqualTo(r.getLong(6));
    assertThat(r.getLong(7)).isEqualTo(SMALL.students());
    // no nulls anywhere
    Column[] nulls = Arrays.stream(Attempts.SCHEMA.fieldNames())
        .map(c -> sum(when(col(c).isNull(), 1).otherwise(0)).as(c)).toArray(Column[]::new);
    Row nullCounts = data.attempts().agg(nulls[0], Arrays.copyOfRange(nulls, 1, nulls.length)).first();
    for (int i = 0; i < nulls.length; i++) {
      assertThat(nullCounts.getLong(i)).as(Attempts.SCHEMA.fieldNames()[i]).isZero();
    }
    // seq is 1..n within each session, answers in time order, finished after the last answer
    Dataset<Row> sessions = data.attempts().groupBy("session_id")
        .agg(count("*").as("n"), max("seq").as("last"), countDistinct("item_id").as("items"),
            max("answered_at").as("last_answer"), min("finished_at").as("finished"));
    assertThat(sessions.where("n <> last OR items <> n OR finished <= last_answer").count()).isZero();
  }

  @Test
  void theTruthAgreesWithTheAttempts() {
    Dataset<Row> attempts = Lake.withDay(data.attempts());
    Dataset<Row> perDay = attempts.groupBy("user_id", "day")
        .agg(count("*").as("n"), countDistinct("session_id").as("s"));
    // every active truth day has exactly its answers and sessions, inactive days have none, and
    // there is no activity on a day without a truth row
    assertThat(SimDatasets.countWhere(data.truthStudentDays().join(perDay, new String[] {"user_id", "day"}, "full_outer"),
        "active AND (n IS NULL OR n <> answers OR s <> sessions)",
        "NOT active AND n IS NOT NULL",
        "active IS NULL",
        "churned AND active",
        "churn_hazard < 0 OR churn_hazard >= 1",
        "churned")).containsExactly(0, 0, 0, 0, 0, data.truthStudents().where("churn_day IS NOT NULL").count());
    // nothing on or after the churn day; the first activity is on the join day
    Dataset<Row> span = attempts.groupBy("user_id").agg(min("day").as("first"), max("day").as("last"));
    assertThat(SimDatasets.countWhere(data.truthStudents().join(span, new String[] {"user_id"}, "full_outer"),
        "churn_day IS NOT NULL AND last >= churn_day",
        "first <> join_day OR first IS NULL OR join_day IS NULL",
        "churn_day IS NOT NULL")).satisfies(c -> {
          assertThat(c[0]).isZero();
          assertThat(c[1]).isZero();
          assertThat(c[2]).isPositive();
        });
    // goals: one per student at most, for most students
    Row goals = data.goals().agg(count("*"), countDistinct("user_id")).first();
    assertThat(goals.getLong(0)).isBetween((long) (0.7 * SMALL.students()), (long) SMALL.students())
        .isEqualTo(goals.getLong(1));
    // the item bank matches the truth and the attempts use only its items and topics
    assertThat(SimDatasets.sortedRows(data.itemBank()))
        .isEqualTo(SimDatasets.sortedRows(data.truthItems().select("item_id", "topic")));
    assertThat(data.attempts().join(data.itemBank(), new String[] {"item_id", "topic"}, "left_anti").count()).isZero();
  }

  @Test
  void thetaGrowsWithPracticeOnAverage() {
    Row r = data.truthStudents().where("answers >= 100")
        .agg(mean(col("final_theta").minus(col("theta0"))), count("*")).first();
    assertThat(r.getLong(1)).isGreaterThan(20);
    assertThat(r.getDouble(0)).isGreaterThan(0.3);
  }

  @Test
  void recoveryModeHasTheStandardMarginals() {
    SimulationSpec spec = SimulationSpec.recovery(4_000, 400, 99);
    SimulatedData rec = Simulator.generate(spark, spec);
    Row items = rec.truthItems().agg(mean(log("a")), stddev(log("a")), mean("b"), stddev("b"), mean("c"), min("c"),
        max("c"), count("*")).first();
    assertThat(items.getLong(7)).isEqualTo(400);
    assertThat(items.getDouble(0)).isCloseTo(0.0, within(0.05));
    assertThat(items.getDouble(1)).isCloseTo(0.25, within(0.04));
    assertThat(items.getDouble(2)).isCloseTo(0.0, within(0.2));
    assertThat(items.getDouble(3)).isCloseTo(1.0, within(0.15));
    assertThat(items.getDouble(4)).isCloseTo(0.175, within(0.01));
    assertThat(items.getDouble(5)).isGreaterThanOrEqualTo(0.10);
    assertThat(items.getDouble(6)).isLessThanOrEqualTo(0.25);

    Row students = rec.truthStudents().agg(mean("theta0"), stddev("theta0"), max("learning_rate"),
        count("churn_day"), max(col("final_theta").minus(col("theta0"))), sum("answers"), count("*")).first();
    assertThat(students.getDouble(0)).isCloseTo(0.0, within(0.07));
    assertThat(students.getDouble(1)).isCloseTo(1.0, within(0.05));
    assertThat(students.getDouble(2)).isZero();
    assertThat(students.getLong(3)).isZero();
    assertThat(students.getDouble(4)).isZero();
    assertThat(students.getLong(5)).isEqualTo(4_000L * 60);
    assertThat(students.getLong(6)).isEqualTo(4_000L);
    assertThat(rec.goals().count()).isZero();

    // each student answers exactly 60 distinct items in one session (a smaller run: this needs the attempts)
    Dataset<Row> perStudent = Simulator.generate(spark, SimulationSpec.recovery(300, 400, 99)).attempts()
        .groupBy("user_id")
        .agg(count("*").as("n"), countDistinct("item_id").as("distinct_items"), countDistinct("session_id").as("s"));
    assertThat(SimDatasets.countWhere(perStudent, "true", "n <> 60 OR distinct_items <> 60 OR s <> 1"))
        .containsExactly(300, 0);
  }
}
