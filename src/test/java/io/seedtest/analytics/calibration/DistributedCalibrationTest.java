package io.seedtest.analytics.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.irt.CalibrationResult;
import io.seedtest.analytics.irt.CalibrationSettings;
import io.seedtest.analytics.irt.EStep;
import io.seedtest.analytics.irt.EmCalibration;
import io.seedtest.analytics.irt.EmIteration;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.MirtPublished;
import io.seedtest.analytics.irt.Responses;
import io.seedtest.analytics.testing.SparkTestSession;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The distributed EM (answers cached as arrays on the executors, E-step as a Spark pass) against
 * R mirt's published LSAT7 results and against the single-threaded reference EM on the same
 * arrays. Values and their sources: src/test/resources/irt/README.md.
 */
@Tag("spark")
class DistributedCalibrationTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-20");
  private static final SparkSession SPARK = SparkTestSession.get();
  private static DistributedResponses lsat7;

  @BeforeAll
  static void load() {
    lsat7 = DistributedResponses.build(IrtFixtures.lsat7Attempts(DAY), 20, 3);
  }

  @AfterAll
  static void release() {
    lsat7.close();
  }

  @Test
  void lsat7IsCachedAsThousandStudentsByFiveItems() {
    assertThat(lsat7.students()).isEqualTo(1000);
    assertThat(lsat7.items()).isEqualTo(5);
    assertThat(lsat7.answers()).isEqualTo(5000);
    assertThat(lsat7.index().eligibleIds()).containsExactly(1, 2, 3, 4, 5);
    assertThat(lsat7.partitions()).isEqualTo(3);
  }

  /** {@code mirt(expand.table(LSAT7), 1, itemtype = '2PL')}: a1, d and logLik. */
  @Test
  void lsat7TwoPlThroughSparkMatchesMirt() {
    CalibrationResult r = new EmCalibration(CalibrationSettings.maximumLikelihood(ItemModel.TWO_PL))
        .run(lsat7, null, EmIteration.Listener.NONE);
    double[] a = MirtPublished.estimates("LSAT7", "2PL", "a1");
    double[] d = MirtPublished.estimates("LSAT7", "2PL", "d");
    assertThat(r.converged()).isTrue();
    for (int j = 0; j < 5; j++) {
      assertThat(r.params()[j].a()).as("a of item %d", j + 1).isCloseTo(a[j], within(0.01));
      assertThat(r.params()[j].b()).as("b of item %d", j + 1).isCloseTo(-d[j] / a[j], within(0.01));
    }
    assertThat(r.logLikelihood()).isCloseTo(MirtPublished.logLikelihood("LSAT7", "2PL"), within(0.01));
  }

  /** {@code itemtype = '3PL'} without priors: mirt's logLik, the same maximum to 0.01. */
  @Test
  void lsat7ThreePlWithoutPriorsReachesMirtsLikelihood() {
    CalibrationResult r = new EmCalibration(CalibrationSettings.maximumLikelihood(ItemModel.THREE_PL))
        .run(lsat7, null, EmIteration.Listener.NONE);
    assertThat(r.logLikelihood()).isCloseTo(MirtPublished.logLikelihood("LSAT7", "3PL (no priors)"), within(0.01));
    assertThat(r.converged()).isTrue();
  }

  /**
   * Same arrays, same numbers: the distributed E-step only changes the order in which partial
   * sums are added (and the job's M-step runs items in parallel, which changes nothing), so the EM
   * takes the same path (same iteration count), the log-likelihood agrees to 1e-11 relative, and every
   * estimate and SE agrees to 5e-8, on a sparse 3PL cohort with priors and on LSAT7 (2PL, no
   * priors): the per-item Newton M-step's own stopping rule (gradient below 1e-9 per answer)
   * leaves the estimates undetermined in the eighth decimal, so sums that differ in the last bit
   * can end a Newton loop one step apart (measured: 1.1e-8 on the cohort).
   */
  @Test
  void distributedEmEqualsTheSingleThreadedEmOnTheSameArrays() {
    IrtFixtures.Cohort cohort = IrtFixtures.cohort(11L, IrtFixtures.itemBank(12L, 60), IrtFixtures.range(0, 60),
        1500, 20, 0.0, 1.0);
    long[] itemIds = IrtFixtures.ids(60, 101);
    try (DistributedResponses data = DistributedResponses.build(
        IrtFixtures.attempts(IrtFixtures.triples(cohort.responses(), IrtFixtures.ids(1500, 1), itemIds), DAY), 20, 4)) {
      assertSame("3PL cohort", CalibrationSettings.defaults(ItemModel.THREE_PL), data, 5e-8);
    }
    assertSame("LSAT7 2PL", CalibrationSettings.maximumLikelihood(ItemModel.TWO_PL), lsat7, 5e-8);
  }

  private static void assertSame(String label, CalibrationSettings settings, DistributedResponses data,
      double tolerance) {
    CalibrationResult spark = new EmCalibration(settings).withParallelMStep(2).run(data, null,
        EmIteration.Listener.NONE);
    Responses arrays = data.collect();
    CalibrationResult plain = new EmCalibration(settings).run(EStep.local(arrays), null, EmIteration.Listener.NONE);
    double maxDifference = 0;
    for (int j = 0; j < plain.params().length; j++) {
      ItemParams s = spark.params()[j];
      ItemParams p = plain.params()[j];
      double[] a = {s.a(), s.b(), s.c(), s.seA(), s.seB()};
      double[] b = {p.a(), p.b(), p.c(), p.seA(), p.seB()};
      for (int k = 0; k < a.length; k++) {
        maxDifference = Math.max(maxDifference, Math.abs(a[k] - b[k]));
      }
    }
    System.out.printf("%s: Spark vs single-threaded EM: %d vs %d iterations, logLik difference %.1e, largest "
            + "estimate/SE difference %.1e%n", label, spark.iterations(), plain.iterations(),
        Math.abs(spark.logLikelihood() - plain.logLikelihood()), maxDifference);
    assertThat(spark.iterations()).isEqualTo(plain.iterations());
    assertThat(spark.converged()).isEqualTo(plain.converged()).isTrue();
    // relative: the sums of ~10^4 log-terms differ only in the order they are added (last bits)
    assertThat(spark.logLikelihood()).isCloseTo(plain.logLikelihood(), within(1e-11 * Math.abs(plain.logLikelihood())));
    assertThat(maxDifference).as(label).isLessThanOrEqualTo(tolerance);
  }

  @Test
  void hittingTheIterationCapIsReportedAsNotConverged() {
    List<EmIteration> progress = new ArrayList<>();
    CalibrationResult r = new EmCalibration(CalibrationSettings.defaults(ItemModel.THREE_PL).withMaxIterations(3))
        .run(lsat7, null, progress::add);
    assertThat(r.converged()).isFalse();
    assertThat(r.iterations()).isEqualTo(3);
    assertThat(progress).extracting(EmIteration::iteration).containsExactly(1, 2, 3);
    assertThat(progress).allSatisfy(p -> assertThat(p.logLikelihood()).isFinite());
    assertThat(r.parameterChange()).isGreaterThan(1e-4);
  }

  @Test
  void aRepeatedItemCountsWithTheStudentsFirstAnswerOnly() {
    List<long[]> answers = new ArrayList<>();
    for (long u = 1; u <= 30; u++) {
      answers.add(new long[] {u, 7, u == 1 ? 0 : u % 2});
    }
    var first = IrtFixtures.attempts(answers, DAY);
    // student 1 answers item 7 again a day later, correctly this time
    var again = IrtFixtures.attempts(List.<long[]>of(new long[] {1, 7, 1}), DAY.plusDays(1))
        .withColumn("session_id", org.apache.spark.sql.functions.lit(999L))
        .withColumn("result_id", org.apache.spark.sql.functions.lit(999L));
    try (DistributedResponses data = DistributedResponses.build(first.union(again), 20, 2)) {
      assertThat(data.repeatedAnswers()).isEqualTo(1);
      assertThat(data.answers()).isEqualTo(30);
      assertThat(data.validAnswers()).isEqualTo(31);
      Responses r = data.collect();
      long[] users = data.collectUsers();
      int s = IntStream.range(0, users.length).filter(k -> users[k] == 1).findFirst().orElseThrow();
      assertThat(r.correct()[r.from(s)]).as("student 1's first answer, wrong, counts").isZero();
    }
  }

  @Test
  void itemsBelowTheMinimumAreLeftOutOfTheArraysAndTheirOnlyStudentsAreNotScored() {
    List<long[]> answers = new ArrayList<>();
    for (long u = 1; u <= 25; u++) {
      answers.add(new long[] {u, 1, u % 3 == 0 ? 1 : 0});
      answers.add(new long[] {u, 2, u % 2});
    }
    answers.add(new long[] {26, 3, 1}); // item 3: one answer, by a student with nothing else
    try (DistributedResponses data = DistributedResponses.build(IrtFixtures.attempts(answers, DAY), 20, 2)) {
      assertThat(data.index().itemIds()).containsExactly(1, 2, 3);
      assertThat(data.index().eligibleIds()).containsExactly(1, 2);
      assertThat(data.index().answers(3)).isEqualTo(1);
      assertThat(data.students()).isEqualTo(25);
      assertThat(data.studentsWithoutCalibratedItems()).isEqualTo(1);
      assertThat(data.answers()).isEqualTo(50);
    }
  }

  /**
   * The cluster runs with Kryo (spark-operator sparkConf), which cannot rebuild Java records:
   * everything the job ships between JVMs must survive a Kryo round trip.
   */
  @Test
  void everythingShippedSurvivesKryo() {
    var kryo = new org.apache.spark.serializer.KryoSerializer(new org.apache.spark.SparkConf()).newInstance();
    scala.reflect.ClassTag<Object> tag = scala.reflect.ClassTag$.MODULE$.AnyRef();
    ResponseBlock block = new ResponseBlock(new long[] {7L},
        new Responses(new int[] {0, 2}, new int[] {0, 1}, new byte[] {1, 0}, 2));
    ResponseBlock back = (ResponseBlock) kryo.deserialize(kryo.serialize(block, tag), tag);
    assertThat(back.users()).containsExactly(7L);
    assertThat(back.responses().itemIndex()).containsExactly(0, 1);
    RawBlock.ItemTally tally = new RawBlock.ItemTally(new long[] {3L}, new long[] {2L}, new long[] {1L},
        new double[] {1500.0}, new long[] {2L}, 1, 2, 0, 5, 4);
    RawBlock.ItemTally tallyBack = (RawBlock.ItemTally) kryo.deserialize(kryo.serialize(tally, tag), tag);
    assertThat(tallyBack.answers()).containsExactly(2L);
    assertThat(tallyBack.outside()).isEqualTo(5L);
    assertThat(tallyBack.timeSumMs()).containsExactly(1500.0);
    assertThat(tallyBack.rapidGuesses()).isEqualTo(4L);
    ItemParams[] params = {ItemParams.of(1.2, 0.3, 0.2), ItemParams.of(0.8, -1.0, 0.1)};
    Shipped<io.seedtest.analytics.irt.EapScorer> scorer = Shipped.of(new io.seedtest.analytics.irt.EapScorer(params));
    @SuppressWarnings("unchecked")
    Shipped<io.seedtest.analytics.irt.EapScorer> shipped =
        (Shipped<io.seedtest.analytics.irt.EapScorer>) kryo.deserialize(kryo.serialize(scorer, tag), tag);
    assertThat(shipped.get().score(new int[] {0, 1}, new byte[] {1, 0}).theta())
        .isEqualTo(scorer.get().score(new int[] {0, 1}, new byte[] {1, 0}).theta());
    var tables = io.seedtest.analytics.irt.ItemLogTables.of(params, io.seedtest.analytics.irt.Quadrature.standardNormal());
    assertThat(((io.seedtest.analytics.irt.ItemLogTables) kryo.deserialize(kryo.serialize(tables, tag), tag)).items())
        .isEqualTo(2);
    var counts = new io.seedtest.analytics.irt.ExpectedCounts(2, 61);
    assertThat(((io.seedtest.analytics.irt.ExpectedCounts) kryo.deserialize(kryo.serialize(counts, tag), tag))
        .nodes()).isEqualTo(61);
    var information = new io.seedtest.analytics.irt.ItemInformation(ItemModel.THREE_PL, params,
        io.seedtest.analytics.irt.ParameterBounds.defaults());
    assertThat(((io.seedtest.analytics.irt.ItemInformation) kryo.deserialize(kryo.serialize(information, tag), tag))
        .items()).isEqualTo(2);
  }

  /** More partitions than one tree level holds: the merge must still be exact and repeatable. */
  @Test
  void orderedReduceMergesManyPartitionsInIndexOrder() throws Exception {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SPARK.sparkContext());
    List<Double> values = new ArrayList<>();
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 200; i++) {
      values.add(random.nextDouble() * Math.pow(10, random.nextInt(12)));
    }
    JavaRDD<double[]> rdd = jsc.parallelize(values, 40).mapPartitions(it -> {
      double[] sum = {0.0};
      it.forEachRemaining(v -> sum[0] += v);
      return List.of(sum).iterator();
    });
    double[] once = OrderedReduce.reduce(rdd, (x, y) -> new double[] {x[0] + y[0]});
    double[] twice = OrderedReduce.reduce(rdd, (x, y) -> new double[] {x[0] + y[0]});
    double expected = values.stream().mapToDouble(Double::doubleValue).sum();
    assertThat(once[0]).isCloseTo(expected, within(1e-6 * expected)).isEqualTo(twice[0]);
  }
}
