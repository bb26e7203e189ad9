package io.seedtest.analytics.calibration;

import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.Responses;
import io.seedtest.analytics.testing.SparkTestSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Answer data for the calibration tests: LSAT7 as attempts, and seeded synthetic cohorts. */
final class IrtFixtures {
  private IrtFixtures() {}

  /**
   * src/test/resources/irt/lsat7_long.csv as attempt rows: user "u0001" → 1, "Item_3" → 3; each
   * student one session on {@code day}, answers a minute apart.
   */
  static Dataset<Row> lsat7Attempts(LocalDate day) {
    List<long[]> answers = new ArrayList<>();
    try (InputStream in = IrtFixtures.class.getResourceAsStream("/irt/lsat7_long.csv")) {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      reader.readLine();
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",");
        answers.add(new long[] {Long.parseLong(f[0].substring(1)), Long.parseLong(f[1].substring(5)),
            Long.parseLong(f[2].trim())});
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return attempts(answers, day);
  }

  /** Attempt rows from (user, item, correct 0/1) triples; one session per user on {@code day}. */
  static Dataset<Row> attempts(List<long[]> answers, LocalDate day) {
    List<Row> rows = new ArrayList<>(answers.size());
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(8 * 3600);
    java.util.Map<Long, Integer> seq = new java.util.HashMap<>();
    for (long[] a : answers) {
      int k = seq.merge(a[0], 1, Integer::sum);
      Instant answered = start.plusSeconds(60L * k);
      rows.add(RowFactory.create(a[0], a[0], a[0], k, a[1], "topic", a[2] == 1, 30_000.0, 0,
          Timestamp.from(answered), Timestamp.from(start.plusSeconds(60L * 400))));
    }
    return SparkTestSession.get().createDataFrame(rows, Attempts.SCHEMA);
  }

  /** The same answers as attempts; user ids {@code users[s]}, item ids {@code itemIds[j]}. */
  static List<long[]> triples(Responses r, long[] users, long[] itemIds) {
    List<long[]> out = new ArrayList<>(r.answers());
    for (int s = 0; s < r.students(); s++) {
      for (int i = r.from(s); i < r.to(s); i++) {
        out.add(new long[] {users[s], itemIds[r.itemIndex()[i]], r.correct()[i]});
      }
    }
    return out;
  }

  /**
   * A synthetic 3PL cohort with known truth, as the standard recovery design: a ~ lognormal(0,
   * 0.25²), b ~ N(0, 1), c ~ U(0.10, 0.25); θ ~ N(mean, sd²); each student answers
   * {@code answersEach} distinct items drawn at random from {@code itemsUsed}.
   */
  record Cohort(ItemParams[] items, double[] theta, Responses responses) {}

  static ItemParams[] itemBank(long seed, int count) {
    Random random = new Random(seed);
    ItemParams[] items = new ItemParams[count];
    for (int j = 0; j < count; j++) {
      double a = Math.exp(0.25 * random.nextGaussian());
      double b = random.nextGaussian();
      double c = 0.10 + 0.15 * random.nextDouble();
      items[j] = ItemParams.of(a, b, c);
    }
    return items;
  }

  static Cohort cohort(long seed, ItemParams[] bank, int[] itemsUsed, int students, int answersEach,
      double mean, double sd) {
    Random random = new Random(seed);
    double[] theta = new double[students];
    for (int s = 0; s < students; s++) {
      theta[s] = mean + sd * random.nextGaussian();
    }
    return answer(random, bank, itemsUsed, theta, answersEach);
  }

  /** Students of known θ answering random items of {@code itemsUsed}. */
  static Cohort answer(Random random, ItemParams[] bank, int[] itemsUsed, double[] theta, int answersEach) {
    int students = theta.length;
    int[] offsets = new int[students + 1];
    int[] itemIndex = new int[students * answersEach];
    byte[] correct = new byte[students * answersEach];
    int[] deck = itemsUsed.clone();
    int i = 0;
    for (int s = 0; s < students; s++) {
      for (int t = 0; t < answersEach; t++) {
        int pick = t + random.nextInt(deck.length - t);
        int tmp = deck[t];
        deck[t] = deck[pick];
        deck[pick] = tmp;
        int j = deck[t];
        itemIndex[i] = j;
        correct[i] = random.nextDouble() < bank[j].probability(theta[s]) ? (byte) 1 : (byte) 0;
        i++;
      }
      offsets[s + 1] = i;
    }
    return new Cohort(bank, theta, new Responses(offsets, itemIndex, correct, bank.length));
  }

  static int[] range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).toArray();
  }

  static long[] ids(int n, long first) {
    return java.util.stream.LongStream.range(first, first + n).toArray();
  }
}
