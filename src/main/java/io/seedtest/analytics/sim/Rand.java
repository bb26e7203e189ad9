package io.seedtest.analytics.sim;

import java.util.SplittableRandom;

/**
 * Seeding and the few distributions the simulator needs, on {@link SplittableRandom}. Every random
 * stream is derived from (seed, stream kind, id) by a SplitMix64 hash, so a student's draws depend
 * on nothing but the seed and her id: not on partitioning, task order or other students.
 */
final class Rand {
  static final long ITEMS = 0x1A2B3C4DL;
  static final long STUDENTS = 0x5E6F7081L;
  static final long SAMPLE = 0x92A3B4C5L;
  /** Rapid guessing's own stream (RapidGuessing): drawing from it leaves every other stream as it was. */
  static final long RAPID = 0xD6E7F809L;

  private Rand() {}

  /** The SplitMix64 finaliser: a bijection on 64-bit values with good avalanche. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static SplittableRandom stream(long seed, long kind, long id) {
    return new SplittableRandom(mix64(mix64(seed ^ mix64(kind)) + 0x9E3779B97F4A7C15L * id));
  }

  /**
   * A bijection of [0, 2^63): distinct inputs give distinct, random-looking, non-negative outputs
   * (used for platform-like session ids that are still guaranteed unique).
   */
  static long permute63(long x, long seed) {
    final long mask = Long.MAX_VALUE;
    long k = (mix64(seed) | 1L) & mask;
    x &= mask;
    for (int round = 0; round < 3; round++) {
      x = (x * 0x9E3779B97F4A7C15L + k) & mask; // odd multiplier: bijective mod 2^63
      x ^= x >>> 29;                             // xor-shift right keeps values below 2^63
      x = (x * 0xBF58476D1CE4E5B9L) & mask;
      x ^= x >>> 32;
    }
    return x;
  }

  static double normal(SplittableRandom r, double mean, double sd) {
    return mean + sd * r.nextGaussian();
  }

  static double uniform(SplittableRandom r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  static boolean bernoulli(SplittableRandom r, double p) {
    return r.nextDouble() < p;
  }

  /** Knuth's method; fine for the small means used here (capped at 30). */
  static int poisson(SplittableRandom r, double mean) {
    if (mean <= 0) {
      return 0;
    }
    double l = StrictMath.exp(-Math.min(mean, 30.0));
    int k = 0;
    double p = r.nextDouble();
    while (p > l) {
      k++;
      p *= r.nextDouble();
    }
    return k;
  }

  static int binomial(SplittableRandom r, int n, double p) {
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (r.nextDouble() < p) {
        k++;
      }
    }
    return k;
  }

  /** Number of failures before the first success, success probability p (mean (1-p)/p). */
  static int geometric(SplittableRandom r, double p) {
    double u = 1.0 - r.nextDouble(); // (0, 1]
    return (int) Math.floor(StrictMath.log(u) / StrictMath.log1p(-p));
  }

  static double sigmoid(double x) {
    return 1.0 / (1.0 + StrictMath.exp(-x));
  }
}
