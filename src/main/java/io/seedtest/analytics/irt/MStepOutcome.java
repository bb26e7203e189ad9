package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * One M-step over all items: the new parameters, how many item fits stopped without converging
 * (for RASCH 1 when the joint slope fit did not), and the largest projected gradient they stopped
 * at. Worth logging: an M-step that does not solve its subproblem makes EM a generalised EM that
 * may crawl.
 */
public record MStepOutcome(ItemParams[] params, int notConverged, double maxGradient)
    implements Serializable {}
