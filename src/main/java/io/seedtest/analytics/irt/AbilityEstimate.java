package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * A student's EAP ability: posterior mean θ, posterior SD (her standard error of measurement),
 * and how many of her answers were on calibrated items and so actually informed it. Zero answers
 * used means the estimate is the prior, which the KPIs must not read as a measured ability.
 */
public record AbilityEstimate(double theta, double sd, int answersUsed) implements Serializable {}
