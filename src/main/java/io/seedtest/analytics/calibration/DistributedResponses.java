package io.seedtest.analytics.calibration;

import static org.apache.spark.sql.functions.col;

import io.seedtest.analytics.attempts.AttemptValidation;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.irt.AbilityEstimate;
import io.seedtest.analytics.irt.EStep;
import io.seedtest.analytics.irt.EapScorer;
import io.seedtest.analytics.irt.ExpectedCounts;
import io.seedtest.analytics.irt.ItemInformation;
import io.seedtest.analytics.irt.ItemLogTables;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.Quadrature;
import io.seedtest.analytics.irt.Responses;
import io.seedtest.analytics.irt.ScaleTransform;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The window's answers cached on the executors as compact arrays, and the distributed passes
 * over them: the EM's E-step and information pass ({@link EStep}) and the scoring of every
 * student.
 *
 * <p>Built once per run ({@link #build}): valid answers are shuffled by student (one shuffle),
 * sorted, and each partition becomes one {@link ResponseBlock} holding its students' first answer
 * to each item as {@code int[]}/{@code byte[]}. Item ids get dense indices on the driver
 * ({@link ItemIndex}) from a counting pass over the same blocks, and items below the minimum
 * answers are dropped from the arrays there. Every later pass ships only small things: the
 * per-iteration log tables out (a broadcast, items × 61 × 2 doubles) and one partial
 * {@link ExpectedCounts} per partition back, merged in partition order ({@link OrderedReduce}) so
 * the result is bit-for-bit reproducible. Answers never move again.
 */
public final class DistributedResponses implements EStep, AutoCloseable {
  private final JavaSparkContext jsc;
  private final JavaRDD<ResponseBlock> blocks;
  private final ItemIndex index;
  private final long students;
  private final long answers;
  private final long studentsWithoutCalibratedItems;
  private final long repeats;
  private final long validAnswers;
  private final long outsideWindow;
  private final long rapidGuesses;
  private final RapidGuessThresholds rapidThresholds;
  private final Dataset<Row> quarantined;
  private boolean quarantineTaken;
  private final List<Broadcast<?>> broadcasts = new ArrayList<>();
  private long eStepNanos;
  private int eSteps;

  private DistributedResponses(JavaSparkContext jsc, JavaRDD<ResponseBlock> blocks, ItemIndex index,
      long students, long answers, long studentsWithoutCalibratedItems, long repeats, long validAnswers,
      long outsideWindow, long rapidGuesses, RapidGuessThresholds rapidThresholds, Dataset<Row> quarantined) {
    this.jsc = jsc;
    this.blocks = blocks;
    this.index = index;
    this.students = students;
    this.answers = answers;
    this.studentsWithoutCalibratedItems = studentsWithoutCalibratedItems;
    this.repeats = repeats;
    this.validAnswers = validAnswers;
    this.outsideWindow = outsideWindow;
    this.rapidGuesses = rapidGuesses;
    this.rapidThresholds = rapidThresholds;
    this.quarantined = quarantined;
  }

  /** (reason, event_day, source_key, payload) of the rows validation rejected. */
  public static final org.apache.spark.sql.types.StructType QUARANTINED_SCHEMA = new org.apache.spark.sql.types.StructType()
      .add(AttemptValidation.REASON, "string")
      .add(AttemptValidation.EVENT_DAY, "date")
      .add(AttemptValidation.SOURCE_KEY, "string")
      .add(AttemptValidation.PAYLOAD, "string");

  /**
   * @param answers the window's answers: either validation's verdicts ({@link AttemptValidation#check}:
   *     rows with a {@code reason} go to {@link #takeQuarantined()}), or rows already known to be valid
   *     ({@link Attempts} columns)
   * @param minAnswers items with fewer first answers are left out of the arrays
   * @param partitions how many blocks (normally one per core of the cluster)
   */
  public static DistributedResponses build(Dataset<Row> answers, int minAnswers, int partitions) {
    return build(answers, minAnswers, partitions, RapidGuessRule.OFF);
  }

  /**
   * As {@link #build(Dataset, int, int)}, leaving out the rapid guesses {@code rapid} finds: each
   * item's threshold comes from the mean response time of its first answers in the window (a
   * counting pass over the cached blocks), the answers below it are counted
   * ({@link #rapidGuesses()}) and kept out of the item counts, the minimum-answers rule and the
   * arrays. A student's rapid first answer to an item still makes her later answers to it repeats.
   */
  public static DistributedResponses build(Dataset<Row> answers, int minAnswers, int partitions,
      RapidGuessRule rapid) {
    SparkSession spark = answers.sparkSession();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    java.util.Set<String> present = java.util.Set.of(answers.columns());
    Dataset<Row> observations = answers
        .select(col(Attempts.USER_ID), col(Attempts.ITEM_ID), col(Attempts.CORRECT), col(Attempts.ANSWERED_AT),
            col(Attempts.SESSION_ID), col(Attempts.SEQ), col(Attempts.RESULT_ID),
            optional(present, AttemptValidation.REASON, "string"), optional(present, AttemptValidation.EVENT_DAY, "date"),
            optional(present, AttemptValidation.SOURCE_KEY, "string"),
            optional(present, AttemptValidation.PAYLOAD, "string"),
            optional(present, WindowAnswers.IN_WINDOW, "boolean"),
            optional(present, Attempts.RESPONSE_TIME_MS, "double"))
        .repartition(partitions, col(Attempts.USER_ID))
        // Only by student (a single long key: Spark radix-sorts it); the order of a student's
        // answers is settled in RawBlock, which makes it independent of the shuffle's order.
        .sortWithinPartitions(col(Attempts.USER_ID));
    // Internal rows, read field by field: no conversion of millions of rows to external Rows.
    JavaRDD<RawBlock> raw = observations.queryExecution().toRdd().toJavaRDD()
        .mapPartitions(rows -> Collections.singletonList(RawBlock.build(rows)).iterator())
        .persist(StorageLevel.MEMORY_ONLY());
    try {
      TreeMap<Long, long[]> counts = new TreeMap<>();
      TreeMap<Long, double[]> times = new TreeMap<>();
      long rawStudents = 0;
      long repeats = 0;
      long firstAnswers = 0;
      long outside = 0;
      for (RawBlock.ItemTally t : raw.map(b -> b.tally(null)).collect()) {
        for (int i = 0; i < t.itemIds().length; i++) {
          long[] c = counts.computeIfAbsent(t.itemIds()[i], k -> new long[2]);
          c[0] += t.answers()[i];
          c[1] += t.correct()[i];
          double[] time = times.computeIfAbsent(t.itemIds()[i], k -> new double[2]);
          time[0] += t.timeSumMs()[i];
          time[1] += t.timed()[i];
        }
        rawStudents += t.students();
        repeats += t.repeats();
        outside += t.outside();
        firstAnswers += t.totalAnswers();
      }
      // Computed with the default rule when the filter is off (--keep-rapid-guesses): the stored
      // thresholds then still tell the features and the session-end update what a rapid guess is.
      RapidGuessThresholds thresholds = thresholds(rapid.enabled() ? rapid : RapidGuessRule.DEFAULT, times);
      long rapidGuesses = 0;
      Broadcast<Shipped<RapidGuessThresholds>> sharedThresholds = null;
      if (rapid.enabled()) {
        sharedThresholds = jsc.broadcast(Shipped.of(thresholds));
        Broadcast<Shipped<RapidGuessThresholds>> t0 = sharedThresholds;
        // second counting pass over the cached blocks: the counts without the rapid guesses
        counts.clear();
        for (RawBlock.ItemTally t : raw.map(b -> b.tally(t0.value().get())).collect()) {
          for (int i = 0; i < t.itemIds().length; i++) {
            long[] c = counts.computeIfAbsent(t.itemIds()[i], k -> new long[2]);
            c[0] += t.answers()[i];
            c[1] += t.correct()[i];
          }
          rapidGuesses += t.rapidGuesses();
        }
      }
      Dataset<Row> quarantined = spark.createDataFrame(raw.flatMap(b -> b.quarantined.iterator()),
          QUARANTINED_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
      quarantined.count();
      ItemIndex index = ItemIndex.of(counts, minAnswers);
      Broadcast<Shipped<ItemIndex>> shared = jsc.broadcast(Shipped.of(index));
      Broadcast<Shipped<RapidGuessThresholds>> rapidShared = sharedThresholds;
      JavaRDD<ResponseBlock> blocks = raw.map(b -> b.dense(shared.value().get(),
              rapidShared == null ? null : rapidShared.value().get()))
          .persist(StorageLevel.MEMORY_ONLY());
      if (jsc.isLocal()) {
        // Local mode: no executor can be lost apart from this JVM, and a local checkpoint spills
        // blocks to disk instead of dropping them, so the lineage is never needed: cut it. Each
        // E-step task then deserializes 5 kB instead of the read's whole plan (90 kB of SQL
        // operators, per task and iteration). On a cluster the lineage stays: it is what rebuilds
        // the blocks of a lost executor.
        blocks.rdd().localCheckpoint();
      }
      Tuple2<Long, Long> totals = blocks
          .map(b -> new Tuple2<>((long) b.students(), (long) b.responses().answers()))
          .fold(new Tuple2<>(0L, 0L), (x, y) -> new Tuple2<>(x._1() + y._1(), x._2() + y._2()));
      DistributedResponses built = new DistributedResponses(jsc, blocks, index, totals._1(), totals._2(),
          rawStudents - totals._1(), repeats, firstAnswers + repeats, outside, rapidGuesses, thresholds, quarantined);
      // the cached blocks' lineage refers to them: they live as long as the blocks do
      built.broadcasts.add(shared);
      if (rapidShared != null) {
        built.broadcasts.add(rapidShared);
      }
      return built;
    } finally {
      raw.unpersist(false);
    }
  }

  private static org.apache.spark.sql.Column optional(java.util.Set<String> present, String name, String type) {
    return present.contains(name) ? col(name) : org.apache.spark.sql.functions.lit(null).cast(type).as(name);
  }

  /**
   * The rows validation rejected, (reason, event_day, source_key, payload), persisted: turn them
   * into quarantine rows with {@link AttemptValidation#quarantineRows}. The caller takes them over
   * (and unpersists them when done); otherwise {@link #close} does.
   */
  public Dataset<Row> takeQuarantined() {
    quarantineTaken = true;
    return quarantined;
  }

  public ItemIndex index() {
    return index;
  }

  @Override
  public int items() {
    return index.eligible();
  }

  @Override
  public long students() {
    return students;
  }

  /** Answers used (first answers on calibrated items). */
  public long answers() {
    return answers;
  }

  /** Students whose answers were all on items too sparse to calibrate: not scored. */
  public long studentsWithoutCalibratedItems() {
    return studentsWithoutCalibratedItems;
  }

  /** Every valid answer of the window, repeats and answers on uncalibrated items included. */
  public long validAnswers() {
    return validAnswers;
  }

  /** Valid first answers left out as rapid guesses (0 when the rule is off). */
  public long rapidGuesses() {
    return rapidGuesses;
  }

  /**
   * The rapid-guess threshold of an item in ms (by the default rule when the filter is off); NaN
   * when the item had no timed answer.
   */
  public double rapidGuessThresholdMs(long itemId) {
    return rapidThresholds == null ? Double.NaN : rapidThresholds.thresholdMs(itemId);
  }

  private static RapidGuessThresholds thresholds(RapidGuessRule rule, TreeMap<Long, double[]> times) {
    long[] ids = new long[times.size()];
    double[] sums = new double[ids.length];
    long[] timed = new long[ids.length];
    int i = 0;
    for (var e : times.entrySet()) {
      ids[i] = e.getKey();
      sums[i] = e.getValue()[0];
      timed[i++] = (long) e.getValue()[1];
    }
    return RapidGuessThresholds.of(rule, ids, sums, timed);
  }

  /** Answers read with the window's sessions whose day is outside the window: counted, not used. */
  public long outsideWindow() {
    return outsideWindow;
  }

  /** Later answers to an item the student had already answered in the window: not used. */
  public long repeatedAnswers() {
    return repeats;
  }

  @Override
  public int[] answersPerItem() {
    return index.eligibleAnswers();
  }

  @Override
  public double[] proportionCorrect() {
    return index.eligibleProportionCorrect();
  }

  @Override
  public ExpectedCounts expectedCounts(ItemLogTables tables) {
    long t0 = System.nanoTime();
    // ItemLogTables is a plain class (no records inside): broadcast as is, serialized once.
    Broadcast<ItemLogTables> shared = jsc.broadcast(tables);
    try {
      ExpectedCounts merged = OrderedReduce.reduce(blocks.mapPartitions(eStep(shared)), ExpectedCounts::merge);
      return merged != null ? merged : new ExpectedCounts(items(), tables.nodes());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("E-step failed: " + e.getMessage(), e);
    } finally {
      shared.destroy();
      eStepNanos += System.nanoTime() - t0;
      eSteps++;
    }
  }

  private static org.apache.spark.api.java.function.FlatMapFunction<Iterator<ResponseBlock>, ExpectedCounts>
      eStep(Broadcast<ItemLogTables> shared) {
    return it -> {
      ItemLogTables tables = shared.value();
      ExpectedCounts counts = new ExpectedCounts(tables.items(), tables.nodes());
      while (it.hasNext()) {
        Responses r = it.next().responses();
        counts.accumulateStudents(tables, r, 0, r.students());
      }
      return Collections.singletonList(counts).iterator();
    };
  }

  @Override
  public ItemInformation information(ItemInformation empty, ItemLogTables tables, ItemParams[] params) {
    long t0 = System.nanoTime();
    Broadcast<Shipped<Tuple2<ItemLogTables, ItemParams[]>>> shared =
        jsc.broadcast(Shipped.of(new Tuple2<>(tables, params)));
    try {
      ItemInformation merged = OrderedReduce.reduce(blocks.mapPartitions(it -> {
        ItemLogTables t = shared.value().get()._1();
        ItemParams[] p = shared.value().get()._2();
        ItemInformation information = empty.emptyCopy();
        double[] posterior = new double[t.nodes()];
        while (it.hasNext()) {
          Responses r = it.next().responses();
          for (int s = 0; s < r.students(); s++) {
            information.accumulate(t, p, r.itemIndex(), r.correct(), r.from(s), r.to(s), posterior);
          }
        }
        return Collections.singletonList(information).iterator();
      }), ItemInformation::merge);
      return merged != null ? merged : empty.emptyCopy();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("information pass failed: " + e.getMessage(), e);
    } finally {
      shared.destroy();
      eStepNanos += System.nanoTime() - t0;
    }
  }

  /**
   * EAP θ of every student, scored on the calibration's own scale (prior N(0, 1), the population
   * model the items were calibrated under) and then moved to the target scale by {@code link}.
   * That is the same as scoring with the linked items under the linked population N(B, A²).
   *
   * @param params the calibrated items on the calibration's own scale, by dense index
   * @return rows (user_id BIGINT, theta DOUBLE, theta_se DOUBLE, answers_used INT), lazily
   */
  public JavaRDD<Row> score(ItemParams[] params, Quadrature grid, ScaleTransform link) {
    Broadcast<Shipped<EapScorer>> shared = jsc.broadcast(Shipped.of(new EapScorer(params, grid)));
    broadcasts.add(shared);
    return blocks.mapPartitions(it -> {
      EapScorer scorer = shared.value().get();
      double[] scratch = new double[grid.size()];
      List<Row> rows = new ArrayList<>();
      while (it.hasNext()) {
        ResponseBlock b = it.next();
        Responses r = b.responses();
        for (int s = 0; s < r.students(); s++) {
          AbilityEstimate e = link.apply(
              scorer.score(r.itemIndex(), r.correct(), r.from(s), r.to(s), 0.0, 1.0, scratch));
          rows.add(RowFactory.create(b.users()[s], e.theta(), e.sd(), e.answersUsed()));
        }
      }
      return rows.iterator();
    });
  }

  /** All blocks on the driver as one {@link Responses}, students in block order (tests, benchmark floor). */
  public Responses collect() {
    List<ResponseBlock> all = blocks.collect();
    int studentsTotal = all.stream().mapToInt(ResponseBlock::students).sum();
    int answersTotal = all.stream().mapToInt(b -> b.responses().answers()).sum();
    int[] offsets = new int[studentsTotal + 1];
    int[] items = new int[answersTotal];
    byte[] correct = new byte[answersTotal];
    int s = 0;
    int i = 0;
    for (ResponseBlock b : all) {
      Responses r = b.responses();
      System.arraycopy(r.itemIndex(), 0, items, i, r.answers());
      System.arraycopy(r.correct(), 0, correct, i, r.answers());
      for (int k = 0; k < r.students(); k++) {
        offsets[++s] = i + r.to(k);
      }
      i += r.answers();
    }
    return new Responses(offsets, items, correct, items());
  }

  /** User ids in the order of {@link #collect()}. */
  public long[] collectUsers() {
    return blocks.map(ResponseBlock::users).collect().stream().flatMapToLong(java.util.Arrays::stream).toArray();
  }

  /** Seconds spent in distributed passes (E-steps and the information pass) so far. */
  public double eStepSeconds() {
    return eStepNanos / 1e9;
  }

  public int eSteps() {
    return eSteps;
  }

  public int partitions() {
    return blocks.getNumPartitions();
  }

  @Override
  public void close() {
    // Unpersist, not destroy: Datasets derived from the blocks (the scores) may still be written
    // after this, and their tasks serialize the lineage that refers to these broadcasts. Spark's
    // cleaner frees them once nothing refers to them any more.
    blocks.unpersist(false);
    if (!quarantineTaken) {
      quarantined.unpersist(false);
    }
    broadcasts.forEach(b -> b.unpersist(false));
    broadcasts.clear();
  }
}
