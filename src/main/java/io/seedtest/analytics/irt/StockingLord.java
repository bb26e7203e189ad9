package io.seedtest.analytics.irt;

/**
 * Scale linking by the Stocking–Lord test characteristic curve method: finds the transform
 * θ_ref = A·θ_new + B that puts a new calibration on a reference calibration's scale, using the
 * items both calibrated.
 *
 * <p>Why Stocking–Lord: each calibration fixes its own scale by assuming its students are
 * N(0, 1), so when the population moves (new students, learning) the same item gets different
 * (a, b) in different weeks and θ week over week would compare numbers on different rulers. The
 * characteristic-curve methods choose A, B so that the common items' response functions, not
 * just their parameter moments, agree: they use a, b and c together, are not thrown by one item
 * with an extreme b (mean/sigma is: it uses only the b's, and their SD), and do not need any item
 * to be frozen (fixed anchors would stop those items from ever being re-estimated and tie the
 * scale to whatever errors they had when frozen). Stocking–Lord matches the sum of the curves
 * (the test characteristic curve); we use its symmetric form (Kim &amp; Lee 2006): the squared TCC
 * difference integrated over the reference population's θ (N(0, 1) on the reference scale)
 * <em>plus</em> the same difference transformed back, over the new population's θ (N(0, 1) on
 * the new scale), so neither calibration's population alone decides where the curves must agree.
 *
 * <p>The criterion is a smooth sum of squares in two unknowns, minimised by Gauss–Newton with
 * Levenberg–Marquardt damping from the mean/sigma solution, with analytic derivatives; it
 * converges in a handful of steps.
 */
public final class StockingLord {
  private static final int MAX_ITERATIONS = 200;

  private final Quadrature grid;
  private final double[] weights;

  /** Integrates over 61 nodes on [−6, 6] with N(0, 1) weights (the calibration's grid). */
  public StockingLord() {
    this(Quadrature.standardNormal());
  }

  public StockingLord(Quadrature grid) {
    this.grid = grid;
    this.weights = grid.weights();
  }

  /**
   * The outcome: the transform new → reference, the criterion at it, how many items were
   * common, and the mean/sigma start for comparison.
   */
  public record Link(ScaleTransform transform, int commonItems, double criterion, int iterations,
      boolean converged, ScaleTransform meanSigma) {}

  /**
   * @param reference the reference calibration's parameters of the common items (its scale)
   * @param current the new calibration's parameters of the same items, same order
   */
  public Link link(ItemParams[] reference, ItemParams[] current) {
    if (reference.length != current.length) {
      throw new IllegalArgumentException("reference and current must list the same common items: "
          + reference.length + " vs " + current.length);
    }
    int n = reference.length;
    for (int j = 0; j < n; j++) {
      if (!reference[j].isCalibrated() || !current[j].isCalibrated()) {
        throw new IllegalArgumentException("common item " + j + " is not calibrated in both");
      }
    }
    if (n < 2) {
      throw new IllegalArgumentException("linking needs at least 2 common items, got " + n);
    }
    ScaleTransform start = meanSigma(reference, current);
    double[] x = {start.a(), start.b()};
    double[] jtj = new double[3];
    double[] jtr = new double[2];
    double f = criterion(reference, current, x[0], x[1], jtj, jtr);
    double lambda = 1e-3;
    int iteration = 0;
    boolean converged = false;
    while (iteration < MAX_ITERATIONS) {
      iteration++;
      // Solve (JᵀJ + λ·diag(JᵀJ)) δ = −Jᵀr.
      double h11 = jtj[0] * (1 + lambda);
      double h22 = jtj[2] * (1 + lambda);
      double h12 = jtj[1];
      double det = h11 * h22 - h12 * h12;
      if (!(det > 0)) {
        lambda *= 10;
        if (lambda > 1e12) {
          break;
        }
        continue;
      }
      double dA = -(h22 * jtr[0] - h12 * jtr[1]) / det;
      double dB = -(h11 * jtr[1] - h12 * jtr[0]) / det;
      double nextA = x[0] + dA;
      if (nextA <= 0) {
        nextA = x[0] / 2;
      }
      double nextB = x[1] + dB;
      double[] jtjNext = new double[3];
      double[] jtrNext = new double[2];
      double fNext = criterion(reference, current, nextA, nextB, jtjNext, jtrNext);
      if (Double.isFinite(fNext) && fNext <= f) {
        boolean small = Math.abs(nextA - x[0]) < 1e-10 && Math.abs(nextB - x[1]) < 1e-10;
        x[0] = nextA;
        x[1] = nextB;
        f = fNext;
        System.arraycopy(jtjNext, 0, jtj, 0, 3);
        System.arraycopy(jtrNext, 0, jtr, 0, 2);
        lambda = Math.max(lambda / 10, 1e-12);
        if (small) {
          converged = true;
          break;
        }
      } else {
        lambda *= 10;
        if (lambda > 1e12) {
          // No descent possible any more: at the minimum to machine precision.
          converged = Math.abs(jtr[0]) + Math.abs(jtr[1]) < 1e-8 * (1 + f);
          break;
        }
      }
    }
    return new Link(new ScaleTransform(x[0], x[1]), n, f, iteration, converged, start);
  }

  /**
   * Mean/sigma: A = SD(b_ref)/SD(b_new), B = mean(b_ref) − A·mean(b_new). Used as the start,
   * and as the answer when the common b's have no spread (then A = 1).
   */
  public static ScaleTransform meanSigma(ItemParams[] reference, ItemParams[] current) {
    int n = reference.length;
    double mr = 0;
    double mc = 0;
    for (int j = 0; j < n; j++) {
      mr += reference[j].b();
      mc += current[j].b();
    }
    mr /= n;
    mc /= n;
    double vr = 0;
    double vc = 0;
    for (int j = 0; j < n; j++) {
      vr += (reference[j].b() - mr) * (reference[j].b() - mr);
      vc += (current[j].b() - mc) * (current[j].b() - mc);
    }
    double a = vr > 0 && vc > 0 ? Math.sqrt(vr / vc) : 1.0;
    return new ScaleTransform(a, mr - a * mc);
  }

  /**
   * The symmetric Stocking–Lord criterion at (A, B), with JᵀJ (upper triangle: [AA, AB, BB]) and
   * Jᵀr of its residuals written out for Gauss–Newton. Residuals are √w_k times the TCC
   * difference at node k, in both directions.
   */
  double criterion(ItemParams[] ref, ItemParams[] cur, double bigA, double bigB, double[] jtj,
      double[] jtr) {
    jtj[0] = 0;
    jtj[1] = 0;
    jtj[2] = 0;
    jtr[0] = 0;
    jtr[1] = 0;
    double f = 0;
    int nodes = grid.size();
    for (int k = 0; k < nodes; k++) {
      double theta = grid.node(k);
      double sw = Math.sqrt(weights[k]);
      // Direction 1, on the reference scale: TCC_ref(θ) − Σ P(θ; a/A, A·b + B, c).
      double r = 0;
      double dA = 0;
      double dB = 0;
      for (int j = 0; j < ref.length; j++) {
        ItemParams c = cur[j];
        r += ref[j].probability(theta);
        // z = (a/A)(θ − A·b − B) = (a/A)(θ − B) − a·b
        double z = c.a() / bigA * (theta - bigB) - c.a() * c.b();
        double s = LogisticResponse.sigmoid(z);
        double p = c.c() + (1 - c.c()) * s;
        double dPdz = (1 - c.c()) * s * (1 - s);
        r -= p;
        dA -= dPdz * (-c.a() / (bigA * bigA) * (theta - bigB));
        dB -= dPdz * (-c.a() / bigA);
      }
      f = accumulate(f, sw * r, sw * dA, sw * dB, jtj, jtr);
      // Direction 2, on the new scale: TCC_new(θ) − Σ P(θ; a_ref·A, (b_ref − B)/A, c_ref).
      r = 0;
      dA = 0;
      dB = 0;
      for (int j = 0; j < ref.length; j++) {
        ItemParams q = ref[j];
        r += cur[j].probability(theta);
        // z = a_ref·A·(θ − (b_ref − B)/A) = a_ref·(A·θ + B − b_ref)
        double z = q.a() * (bigA * theta + bigB - q.b());
        double s = LogisticResponse.sigmoid(z);
        double p = q.c() + (1 - q.c()) * s;
        double dPdz = (1 - q.c()) * s * (1 - s);
        r -= p;
        dA -= dPdz * q.a() * theta;
        dB -= dPdz * q.a();
      }
      f = accumulate(f, sw * r, sw * dA, sw * dB, jtj, jtr);
    }
    return f;
  }

  private static double accumulate(double f, double r, double dA, double dB, double[] jtj,
      double[] jtr) {
    jtj[0] += dA * dA;
    jtj[1] += dA * dB;
    jtj[2] += dB * dB;
    jtr[0] += dA * r;
    jtr[1] += dB * r;
    return f + r * r;
  }
}
