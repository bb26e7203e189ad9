package io.seedtest.analytics.irt;

/**
 * Which item parameters a calibration estimates. All three share one response function (see
 * {@link LogisticResponse}); the model only decides which of a, b, c are free, so every piece of
 * the EM (tables, E-step, scoring) is model-agnostic and only the M-step and the standard errors
 * look at this.
 */
public enum ItemModel {
  /**
   * One slope shared by all items, estimated, with c = 0: mirt's 1PL ({@code CONSTRAIN} of equal
   * a1, θ ~ N(0, 1)). We estimate the common slope rather than fixing a = 1 because with θ pinned
   * to N(0, 1) the common slope plays the role of the latent SD; "a = 1 with free latent variance"
   * (mirt itemtype='Rasch') is the same model rescaled (θ' = a·θ, b' = a·b) and gives the same
   * log-likelihood. Keeping θ ~ N(0, 1) lets the scorer and the KPIs treat all three models alike.
   */
  RASCH(false, false),
  /** Item slope and difficulty, c = 0. */
  TWO_PL(true, false),
  /** Item slope, difficulty and lower asymptote (guessing). */
  THREE_PL(true, true);

  private final boolean itemSlope;
  private final boolean guessing;

  ItemModel(boolean itemSlope, boolean guessing) {
    this.itemSlope = itemSlope;
    this.guessing = guessing;
  }

  /** True when each item has its own slope; false for RASCH, whose slope is common. */
  public boolean hasItemSlope() {
    return itemSlope;
  }

  /** True when c is estimated; otherwise c is held at 0. */
  public boolean hasGuessing() {
    return guessing;
  }

  /**
   * Which of (a, b, c) the per-item M-step moves. For RASCH only b: the shared slope is fitted
   * across items by {@link CommonSlopeMStep}.
   */
  boolean[] itemFreeParameters() {
    return new boolean[] {itemSlope, true, guessing};
  }
}
