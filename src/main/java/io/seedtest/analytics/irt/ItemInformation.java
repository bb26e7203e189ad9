package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * The observed information of the marginal log-likelihood over all items' parameters, by Louis'
 * identity, and the standard errors it gives.
 *
 * <p>Why Louis: it is the exact Hessian of the marginal log-likelihood (not an approximation to
 * it, as the cross-product of scores is), yet needs only one pass over the students at the final
 * estimates, with per-student terms that add up across partitions. For student i with posterior
 * w_k over the nodes, complete-data score S_i(θ_k) (over the parameters of the items she
 * answered) and complete-data Hessian H_i(θ_k):
 * <pre>  −∇² log L_i = −Σ_k w_k H_i(θ_k) − Cov_w(S_i(θ_k))</pre>
 * (Louis 1982). The covariance term couples every pair of items a student answered, through her
 * θ: those cross-item entries are what a per-item block misses (LSAT7 2PL SEs 3–9% low, a Rasch
 * slope's SE up to 32% low). Oakes' identity gives the same matrix but needs an E-step per
 * parameter (finite differences of the score), i.e. 3J distributed passes instead of one; the
 * cross-product (XPD) estimator Σ_i s̄_i s̄_iᵀ needs one pass too but is only asymptotically equal
 * to the observed information (on LSAT7 it differs from a finite-difference Hessian by more than
 * 2%).
 *
 * <p>Size: the full matrix has P² entries for P free parameters. Up to {@link #DENSE_LIMIT}
 * (about 660 3PL items, 1,000 2PL items) it is kept whole (32 MB at the limit) and inverted
 * (Cholesky, P³/3). Beyond it only each item's own block is kept (plus, for RASCH, the common
 * slope's row): the SEs then ignore cross-item covariance, which on a sparse bank (each student
 * sees a few percent of the items) is small per item but not zero; {@link #isFull()} says which
 * was used and the calibration records it. The prior's curvature is added before inverting, so a
 * MAP estimate gets posterior SEs. Parameters not estimated (c in the 2PL), on a bound, or of an
 * item not calibrated are held fixed: they get no row and no SE.
 *
 * <p>One pass: {@link #accumulate} per student, {@link #merge} across partitions, then
 * {@link #covariance} / {@link #standardErrors} on the driver.
 */
public final class ItemInformation implements Serializable {
  /** Free parameters up to which the whole matrix is kept. */
  public static final int DENSE_LIMIT = 2000;

  private final ItemModel model;
  private final int items;
  /** items × 3: the matrix row of item j's (a, b, c), −1 where held fixed. RASCH: every a → 0. */
  private final int[] row;
  private final int size;
  private final boolean full;
  /**
   * Full: size × size, row-major, both triangles. Blocks: items × 9 over (a, b, c), plus for RASCH
   * the (a, b_j) cross terms in slot 1 and the common slope's own entry in {@link #slopeSlope}.
   * Allocated on the first student (an empty partition ships nothing).
   */
  private double[] matrix;
  private double slopeSlope;
  private transient double[] nodeTables;
  private transient ItemParams[] nodeTablesFor;
  private transient Scratch scratch;

  /**
   * An empty accumulator for the estimates {@code params} (fixing which parameters are free) under
   * {@code bounds}.
   */
  public ItemInformation(ItemModel model, ItemParams[] params, ParameterBounds bounds) {
    this(model, params, bounds, DENSE_LIMIT);
  }

  ItemInformation(ItemModel model, ItemParams[] params, ParameterBounds bounds, int denseLimit) {
    this.model = model;
    this.items = params.length;
    this.row = new int[items * 3];
    boolean[] free = model.itemFreeParameters();
    int next = model == ItemModel.RASCH ? 1 : 0;
    boolean slopeFree = false;
    for (int j = 0; j < items; j++) {
      ItemParams p = params[j];
      double[] x = {p.a(), p.b(), p.c()};
      for (int q = 0; q < 3; q++) {
        row[j * 3 + q] = -1;
        boolean estimated = p.isCalibrated() && !bounds.isOnBound(q, x[q]);
        if (model == ItemModel.RASCH && q == 0) {
          if (estimated) {
            row[j * 3] = 0;
            slopeFree = true;
          }
        } else if (free[q] && estimated) {
          row[j * 3 + q] = next++;
        }
      }
    }
    if (model == ItemModel.RASCH && !slopeFree) {
      // no free slope: renumber the b's from 0
      for (int j = 0; j < items; j++) {
        if (row[j * 3 + 1] > 0) {
          row[j * 3 + 1]--;
        }
      }
      next--;
    }
    this.size = Math.max(next, 0);
    this.full = size <= denseLimit;
  }

  private ItemInformation(ItemInformation layout) {
    this.model = layout.model;
    this.items = layout.items;
    this.row = layout.row;
    this.size = layout.size;
    this.full = layout.full;
  }

  /** A new empty accumulator with the same layout (one per partition). */
  public ItemInformation emptyCopy() {
    return new ItemInformation(this);
  }

  /** Whether the whole matrix (cross-item terms included) is kept; else item blocks only. */
  public boolean isFull() {
    return full;
  }

  /** Free parameters (the matrix's order). */
  public int size() {
    return size;
  }

  /**
   * Adds one student's observed information. Answers on items that are not calibrated are
   * skipped.
   *
   * @param tables the log tables at the same {@code params}, used for her posterior
   * @param posterior scratch of at least {@code tables.nodes()} doubles, overwritten
   * @return her marginal log-likelihood (the pass doubles as a final E-step check)
   */
  public double accumulate(ItemLogTables tables, ItemParams[] params, int[] itemIndex,
      byte[] correct, int from, int to, double[] posterior) {
    int nodes = tables.nodes();
    if (nodeTablesFor != params) {
      nodeTables = nodeTables(tables.theta(), params);
      nodeTablesFor = params;
    }
    if (matrix == null) {
      matrix = new double[full ? size * size : items * 9];
    }
    double ll = StudentPosterior.compute(tables, itemIndex, correct, from, to, posterior);
    int lo = StudentPosterior.supportStart(posterior, nodes);
    int hi = StudentPosterior.supportEnd(posterior, lo, nodes);
    int width = hi - lo + 1;
    // Her local parameters: one per free parameter of each answer (RASCH: each answer's a is a
    // copy of the common slope; entries add up correctly by bilinearity).
    int m = 0;
    for (int i = from; i < to; i++) {
      int j = itemIndex[i];
      for (int q = 0; q < 3; q++) {
        m += row[j * 3 + q] >= 0 ? 1 : 0;
      }
    }
    if (m == 0) {
      return ll;
    }
    Scratch w = scratch == null || scratch.locals < m || scratch.capacity < m * width
        ? new Scratch(m, width) : scratch;
    scratch = w;
    int r = 0;
    for (int i = from; i < to; i++) {
      int j = itemIndex[i];
      int x = correct[i] != 0 ? 1 : 0;
      int base = ((j * 2 + x) * nodes) * 9;
      int first = r;
      for (int q = 0; q < 3; q++) {
        if (row[j * 3 + q] < 0) {
          continue;
        }
        w.global[r] = row[j * 3 + q];
        w.param[r] = q;
        w.answer[r] = i;
        w.item[r] = j;
        double mean = 0.0;
        for (int k = 0; k < width; k++) {
          double v = nodeTables[base + (lo + k) * 9 + q];
          w.score[r * width + k] = v;
          mean += posterior[lo + k] * v;
        }
        w.mean[r] = mean;
        r++;
      }
      // −E_w[H] of this answer, on its own parameters
      for (int u = first; u < r; u++) {
        for (int v = u; v < r; v++) {
          int slot = HESSIAN_SLOT[w.param[u] * 3 + w.param[v]];
          double e = 0.0;
          for (int k = 0; k < width; k++) {
            e += posterior[lo + k] * nodeTables[base + (lo + k) * 9 + 3 + slot];
          }
          add(w, u, v, -e);
        }
      }
    }
    // −Cov_w(S): −E_w[S Sᵀ] + s̄ s̄ᵀ, over every pair the matrix keeps
    for (int u = 0; u < m; u++) {
      for (int v = u; v < m; v++) {
        if (!kept(w, u, v)) {
          continue;
        }
        double e = 0.0;
        int bu = u * width;
        int bv = v * width;
        for (int k = 0; k < width; k++) {
          e += posterior[lo + k] * w.score[bu + k] * w.score[bv + k];
        }
        add(w, u, v, w.mean[u] * w.mean[v] - e);
      }
    }
    return ll;
  }

  /** Which entries the block form keeps: same answer, or (RASCH) any involving the common slope. */
  private boolean kept(Scratch w, int u, int v) {
    return full || w.answer[u] == w.answer[v]
        || (model == ItemModel.RASCH && (w.param[u] == 0 || w.param[v] == 0));
  }

  /** Adds the (u, v) and, if distinct, (v, u) entries of her local matrix into the kept storage. */
  private void add(Scratch w, int u, int v, double value) {
    int gu = w.global[u];
    int gv = w.global[v];
    if (full) {
      matrix[gu * size + gv] += value;
      if (u != v) {
        matrix[gv * size + gu] += value;
      }
      return;
    }
    int pu = w.param[u];
    int pv = w.param[v];
    if (model == ItemModel.RASCH && pu == 0 && pv == 0) {
      slopeSlope += u == v ? value : 2 * value;
    } else if (model == ItemModel.RASCH && (pu == 0 || pv == 0)) {
      int item = blockItem(w, pu == 0 ? v : u);
      matrix[item * 9 + 1] += value; // (common a, b_item)
    } else if (w.answer[u] == w.answer[v]) {
      int item = blockItem(w, u);
      matrix[item * 9 + pu * 3 + pv] += value;
      if (u != v) {
        matrix[item * 9 + pv * 3 + pu] += value;
      }
    }
  }

  private int blockItem(Scratch w, int local) {
    return w.item[local];
  }

  /** (p, q) of a 3×3 → index into the six stored Hessian entries (aa, ab, ac, bb, bc, cc). */
  private static final int[] HESSIAN_SLOT = {0, 1, 2, 1, 3, 4, 2, 4, 5};

  /**
   * For every item, answer (wrong, correct) and node: the score ∇ log P(x | θ_k) (3 doubles) then
   * its Hessian (6), built once per set of {@code params}: the per-answer work is then a few
   * multiply-adds per node instead of exponentials.
   */
  private static double[] nodeTables(double[] theta, ItemParams[] params) {
    int nodes = theta.length;
    double[] out = new double[params.length * 2 * nodes * 9];
    double[] score = new double[3];
    double[] hessian = new double[6];
    for (int j = 0; j < params.length; j++) {
      ItemParams p = params[j];
      if (!p.isCalibrated()) {
        continue;
      }
      for (int x = 0; x < 2; x++) {
        int base = ((j * 2 + x) * nodes) * 9;
        for (int k = 0; k < nodes; k++) {
          LogisticResponse.score(p.a(), p.b(), p.c(), theta[k], x == 1, score);
          LogisticResponse.hessian(p.a(), p.b(), p.c(), theta[k], x == 1, hessian);
          System.arraycopy(score, 0, out, base + k * 9, 3);
          System.arraycopy(hessian, 0, out, base + k * 9 + 3, 6);
        }
      }
    }
    return out;
  }

  /** Adds another partition's information into this one and returns this. */
  public ItemInformation merge(ItemInformation other) {
    if (other.items != items || other.model != model || other.size != size
        || other.full != full) {
      throw new IllegalArgumentException("cannot merge information of " + other.items + " "
          + other.model + " items into " + items + " " + model + " items");
    }
    if (other.matrix != null) {
      if (matrix == null) {
        matrix = other.matrix.clone();
      } else {
        for (int i = 0; i < matrix.length; i++) {
          matrix[i] += other.matrix[i];
        }
      }
    }
    slopeSlope += other.slopeSlope;
    return this;
  }

  /** The information matrix (full form), row-major size × size, without the prior; a copy. */
  public double[] matrix() {
    if (!full) {
      throw new IllegalStateException("only item blocks were kept (" + size + " parameters)");
    }
    return matrix == null ? new double[size * size] : matrix.clone();
  }

  /**
   * The covariance of the estimates: the inverse of this information plus the prior's negative
   * curvature. Full form: the whole inverse (when the matrix is not positive definite, each
   * item's own block of it is inverted instead). Blocks: per item, RASCH's arrowhead exactly.
   */
  public ParameterCovariance covariance(ItemParams[] params, ItemPriors priors) {
    double[] prior = new double[2];
    double[] priorCurvature = new double[Math.max(size, 1)];
    for (int j = 0; j < items; j++) {
      ItemParams p = params[j];
      double[] x = {p.a(), p.b(), p.c()};
      for (int q = 0; q < 3; q++) {
        int g = row[j * 3 + q];
        if (g < 0 || (model == ItemModel.RASCH && q == 0 && priorCurvature[g] != 0.0)) {
          continue;
        }
        priorCurvature[g] = priorSecondDerivative(q, x, priors, prior);
      }
    }
    if (matrix == null) {
      matrix = new double[full ? size * size : items * 9];
    }
    return full
        ? ParameterCovariance.ofFull(row, size, matrix, priorCurvature)
        : ParameterCovariance.ofBlocks(model, row, items, matrix, slopeSlope, priorCurvature);
  }

  /**
   * {@code params} with standard errors attached. A parameter gets NaN when it is held fixed (not
   * estimated, on its bound) or its information is singular.
   */
  public ItemParams[] standardErrors(ItemParams[] params, ItemPriors priors) {
    return covariance(params, priors).standardErrors(params);
  }

  /** The prior's second derivative in parameter q (counted where the model applies it). */
  private double priorSecondDerivative(int q, double[] x, ItemPriors priors, double[] prior) {
    if (q == 0) {
      priors.slopeDerivatives(x[0], prior);
    } else if (q == 1) {
      priors.difficultyDerivatives(x[1], prior);
    } else {
      priors.guessDerivatives(x[2], prior);
    }
    return prior[1];
  }

  public ItemModel model() {
    return model;
  }

  public int items() {
    return items;
  }

  /** Per-student work arrays, grown as needed. */
  private static final class Scratch {
    final int locals;
    final int capacity;
    final int[] global;
    final int[] param;
    final int[] answer;
    final int[] item;
    final double[] mean;
    final double[] score;

    Scratch(int m, int width) {
      this.locals = Math.max(m, 64);
      this.capacity = locals * Math.max(width, 61);
      int locals = this.locals;
      this.global = new int[locals];
      this.param = new int[locals];
      this.answer = new int[locals];
      this.item = new int[locals];
      this.mean = new double[locals];
      this.score = new double[capacity];
    }
  }
}
