package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * The RASCH M-step's outcome: the shared slope and each item's fit at it. {@code items[j]} is
 * null for an item left out of the calibration. {@code gradientNorm} covers the slope and every
 * difficulty, so it means the same as {@link ItemFit#gradientNorm()} for the other models.
 */
public record CommonSlopeFit(
    double slope, ItemFit[] items, int iterations, boolean converged, double gradientNorm)
    implements Serializable {}
