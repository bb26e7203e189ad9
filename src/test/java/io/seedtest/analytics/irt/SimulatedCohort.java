package io.seedtest.analytics.irt;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntFunction;

/**
 * A seeded synthetic calibration sample with known truth: θ ~ N(0, 1), 3PL items with
 * a ~ lognormal(0, 0.25²), b ~ N(0, 1), c ~ U(0.10, 0.25), and each student answering a random
 * subset of the items (the sparse design of the app, where nobody sees the whole bank).
 */
final class SimulatedCohort {
  final ItemParams[] items;
  final double[] theta;
  final Responses responses;

  private SimulatedCohort(ItemParams[] items, double[] theta, Responses responses) {
    this.items = items;
    this.theta = theta;
    this.responses = responses;
  }

  /** Every student answers every one of the given items (a complete design, as an exam). */
  static SimulatedCohort complete(long seed, ItemParams[] items, int students) {
    Random random = new Random(seed);
    int n = items.length;
    double[] theta = new double[students];
    int[] offsets = new int[students + 1];
    int[] itemIndex = new int[students * n];
    byte[] correct = new byte[students * n];
    int i = 0;
    for (int s = 0; s < students; s++) {
      theta[s] = random.nextGaussian();
      for (int j = 0; j < n; j++) {
        itemIndex[i] = j;
        correct[i] = random.nextDouble() < items[j].probability(theta[s]) ? (byte) 1 : (byte) 0;
        i++;
      }
      offsets[s + 1] = i;
    }
    return new SimulatedCohort(items, theta, new Responses(offsets, itemIndex, correct, n));
  }

  static SimulatedCohort generate(long seed, int students, int itemCount, int answersEach) {
    return generate(seed, students, itemCount, answersEach, j -> null);
  }

  /**
   * As {@link #generate(long, int, int, int)}, except that an item for which {@code trueCurve}
   * returns a curve answers by that curve instead of its 3PL parameters (an item that misfits).
   * The random draws are the same, so the other items' answers are too.
   */
  static SimulatedCohort generate(long seed, int students, int itemCount, int answersEach,
      IntFunction<DoubleUnaryOperator> trueCurve) {
    Random random = new Random(seed);
    ItemParams[] items = new ItemParams[itemCount];
    for (int j = 0; j < itemCount; j++) {
      double a = Math.exp(0.25 * random.nextGaussian());
      double b = random.nextGaussian();
      double c = 0.10 + 0.15 * random.nextDouble();
      items[j] = ItemParams.of(a, b, c);
    }
    double[] theta = new double[students];
    int[] offsets = new int[students + 1];
    int[] itemIndex = new int[students * answersEach];
    byte[] correct = new byte[students * answersEach];
    int[] deck = new int[itemCount];
    for (int j = 0; j < itemCount; j++) {
      deck[j] = j;
    }
    DoubleUnaryOperator[] curves = new DoubleUnaryOperator[itemCount];
    for (int j = 0; j < itemCount; j++) {
      curves[j] = trueCurve.apply(j);
      if (curves[j] == null) {
        curves[j] = items[j]::probability;
      }
    }
    int i = 0;
    for (int s = 0; s < students; s++) {
      theta[s] = random.nextGaussian();
      for (int t = 0; t < answersEach; t++) {
        int pick = t + random.nextInt(itemCount - t);
        int tmp = deck[t];
        deck[t] = deck[pick];
        deck[pick] = tmp;
        int j = deck[t];
        itemIndex[i] = j;
        correct[i] = random.nextDouble() < curves[j].applyAsDouble(theta[s]) ? (byte) 1 : (byte) 0;
        i++;
      }
      offsets[s + 1] = i;
    }
    return new SimulatedCohort(items, theta, new Responses(offsets, itemIndex, correct, itemCount));
  }
}
