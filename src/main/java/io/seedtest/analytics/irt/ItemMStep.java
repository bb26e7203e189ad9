package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * One item's M-step: maximises {@link ItemObjective} over the item's free parameters inside
 * {@link ParameterBounds} by projected Newton with a backtracking line search.
 *
 * <p>Why Newton: the objective is a sum over ~61 nodes, so exact gradient and Hessian cost the
 * same as a few function values, and started from the previous EM iteration's estimate Newton
 * needs two or three steps. It works directly on (a, b, c) because their bounds are then a plain
 * box: a variable sitting on a bound with the gradient pushing outward is held there (the
 * active set), the others take a Newton step that is projected back into the box. Where the
 * Hessian is not negative definite (the 3PL is not concave in c) the step is damped
 * Levenberg–Marquardt style until it is an ascent direction, and steps are capped per parameter
 * so one bad iteration cannot throw an item across the scale. Items are independent given the
 * E-step counts, so the Spark driver can run these in parallel.
 */
public final class ItemMStep implements Serializable {
  private static final double[] MAX_STEP = {1.0, 2.0, 0.1};
  private static final int DEFAULT_MAX_ITERATIONS = 100;

  private final ItemModel model;
  private final ItemPriors priors;
  private final ParameterBounds bounds;
  private final int maxIterations;

  public ItemMStep(ItemModel model, ItemPriors priors, ParameterBounds bounds) {
    this(model, priors, bounds, DEFAULT_MAX_ITERATIONS);
  }

  public ItemMStep(ItemModel model, ItemPriors priors, ParameterBounds bounds, int maxIterations) {
    this.model = model;
    this.priors = priors;
    this.bounds = bounds;
    this.maxIterations = maxIterations;
  }

  /**
   * Fits one item to its expected counts, starting from {@code start} (normally the previous
   * iteration's estimate). Under RASCH, a is held at {@code start.a()}: the common slope is
   * {@link CommonSlopeMStep}'s job.
   *
   * @param theta the quadrature nodes the counts were accumulated on
   */
  public ItemFit fit(double[] theta, ItemCounts counts, ItemParams start) {
    ItemObjective objective = new ItemObjective(theta, counts, model, priors);
    boolean[] free = model.itemFreeParameters();
    double[] x = startingPoint(start);
    double[] g = new double[3];
    double[] h = new double[9];
    double[] next = new double[3];
    int[] index = new int[3];
    double[] system = new double[9];
    double[] lower = new double[9];
    double[] delta = new double[3];
    double gradientTolerance = 1e-9 * (1.0 + counts.total());

    double f = objective.evaluate(x[0], x[1], x[2], g, h);
    int iteration = 0;
    boolean converged = false;
    while (true) {
      int nFree = freeSet(x, g, free, index);
      if (maxAbs(g, index, nFree) <= gradientTolerance) {
        converged = true;
        break;
      }
      if (iteration >= maxIterations || !Double.isFinite(f)) {
        break;
      }
      iteration++;
      double lambda = newtonDirection(h, g, index, nFree, system, lower, delta);
      if (Double.isNaN(lambda)) {
        break;
      }
      double scale = 1.0;
      for (int r = 0; r < nFree; r++) {
        double limit = MAX_STEP[index[r]];
        if (Math.abs(delta[r]) * scale > limit) {
          scale = limit / Math.abs(delta[r]);
        }
      }
      double t = scale;
      boolean accepted = false;
      double fNext = f;
      for (int ls = 0; ls < 40; ls++) {
        System.arraycopy(x, 0, next, 0, 3);
        double predicted = 0.0;
        for (int r = 0; r < nFree; r++) {
          int i = index[r];
          next[i] = bounds.clamp(i, x[i] + t * delta[r]);
          predicted += g[i] * (next[i] - x[i]);
        }
        fNext = objective.value(next[0], next[1], next[2]);
        if (Double.isFinite(fNext) && fNext >= f + 1e-4 * Math.max(predicted, 0.0)) {
          accepted = true;
          break;
        }
        t *= 0.5;
      }
      if (!accepted) {
        break;
      }
      double moved = 0.0;
      for (int i = 0; i < 3; i++) {
        moved = Math.max(moved, Math.abs(next[i] - x[i]));
      }
      System.arraycopy(next, 0, x, 0, 3);
      f = objective.evaluate(x[0], x[1], x[2], g, h);
      if (moved < 1e-10 && lambda == 0.0 && t == 1.0) {
        // A full undamped Newton step this small: at a maximum to machine precision even when
        // the counts are so large that the absolute gradient tolerance is out of reach.
        converged = true;
        break;
      }
    }
    int nFree = freeSet(x, g, free, index);
    double gradientNorm = maxAbs(g, index, nFree);
    return new ItemFit(ItemParams.of(x[0], x[1], x[2]), iteration, converged, gradientNorm, f);
  }

  /**
   * The largest absolute projected gradient component of the item's objective at
   * {@code params}. Evaluated on the final E-step's counts this is the gradient of the marginal
   * log-posterior itself (Fisher's identity), which is how the EM checks where it stopped.
   */
  public double projectedGradient(double[] theta, ItemCounts counts, ItemParams params) {
    ItemObjective objective = new ItemObjective(theta, counts, model, priors);
    double[] g = new double[3];
    double[] x = {params.a(), params.b(), params.c()};
    objective.evaluate(x[0], x[1], x[2], g, new double[9]);
    int[] index = new int[3];
    int nFree = freeSet(x, g, model.itemFreeParameters(), index);
    return maxAbs(g, index, nFree);
  }

  ItemModel model() {
    return model;
  }

  ItemPriors priors() {
    return priors;
  }

  ParameterBounds bounds() {
    return bounds;
  }

  private double[] startingPoint(ItemParams start) {
    double a = Double.isFinite(start.a()) ? start.a() : 1.0;
    double b = Double.isFinite(start.b()) ? start.b() : 0.0;
    double c = 0.0;
    if (model.hasGuessing()) {
      c = Double.isFinite(start.c()) ? start.c() : 0.2;
      if (priors.hasGuessPrior() && c <= 0.0) {
        // Beta(α > 1) has zero density at 0; start inside so the objective is finite.
        c = Math.min(0.2, 0.5 * bounds.cMax());
      }
    }
    double[] x = {a, b, c};
    boolean[] free = model.itemFreeParameters();
    for (int i = 0; i < 3; i++) {
      if (free[i]) {
        x[i] = bounds.clamp(i, x[i]);
      }
    }
    return x;
  }

  /**
   * The parameters Newton may move: free in the model and not held on a bound by a gradient
   * pointing out of the box. Returns how many, their indices in {@code index}.
   */
  private int freeSet(double[] x, double[] g, boolean[] free, int[] index) {
    int n = 0;
    for (int i = 0; i < 3; i++) {
      if (!free[i]) {
        continue;
      }
      boolean heldLow = x[i] <= bounds.lower(i) && g[i] < 0;
      boolean heldHigh = x[i] >= bounds.upper(i) && g[i] > 0;
      if (!heldLow && !heldHigh) {
        index[n++] = i;
      }
    }
    return n;
  }

  private static double maxAbs(double[] g, int[] index, int n) {
    double m = 0.0;
    for (int r = 0; r < n; r++) {
      m = Math.max(m, Math.abs(g[index[r]]));
    }
    return m;
  }

  /**
   * Solves (−H + λI) Δ = g on the free parameters with the smallest λ in {0, 1e-6·scale·10^k}
   * that makes the system positive definite, so Δ is always an ascent direction. Returns λ, or
   * NaN when no damping helps (non-finite Hessian).
   */
  private static double newtonDirection(double[] h, double[] g, int[] index, int n,
      double[] system, double[] lower, double[] delta) {
    double diagonal = 0.0;
    for (int r = 0; r < n; r++) {
      diagonal = Math.max(diagonal, Math.abs(h[index[r] * 3 + index[r]]));
    }
    double lambda = 0.0;
    for (int attempt = 0; attempt < 30; attempt++) {
      for (int r = 0; r < n; r++) {
        for (int s = 0; s < n; s++) {
          system[r * n + s] = -h[index[r] * 3 + index[s]] + (r == s ? lambda : 0.0);
        }
      }
      if (Cholesky.decompose(system, n, lower)) {
        for (int r = 0; r < n; r++) {
          delta[r] = g[index[r]];
        }
        Cholesky.solve(lower, n, delta, delta);
        return lambda;
      }
      lambda = lambda == 0.0 ? 1e-6 * (1.0 + diagonal) : lambda * 10.0;
    }
    return Double.NaN;
  }
}
