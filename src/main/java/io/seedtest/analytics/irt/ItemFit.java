package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * The outcome of one item's M-step. {@code gradientNorm} is the largest absolute component of
 * the projected gradient (components pushing against an active bound count as zero) at
 * {@code params}: the evidence that the maximiser really stopped at a constrained maximum, kept
 * so the calibration can report items whose M-step did not converge instead of trusting them.
 */
public record ItemFit(
    ItemParams params, int iterations, boolean converged, double gradientNorm, double objective)
    implements Serializable {}
