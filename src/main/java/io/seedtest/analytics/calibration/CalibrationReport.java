package io.seedtest.analytics.calibration;

import io.seedtest.analytics.irt.CalibrationResult;
import io.seedtest.analytics.irt.EmIteration;
import io.seedtest.analytics.run.DateWindow;
import java.util.List;

/**
 * What one calibration run did, for its summary line, the calibrations row and the benchmark.
 *
 * @param result the EM's result on the calibration's own scale (before linking)
 * @param iterations per-iteration progress as logged
 * @param link how the scale was linked
 * @param students students scored
 * @param answers answers used (first answers on calibrated items)
 * @param repeatedAnswers later answers to an already answered item: not used
 * @param itemsSeen items answered in the window
 * @param itemsCalibrated items with estimates after all checks
 * @param secondsRead reading, validating and caching the answers as arrays
 * @param secondsEm the EM loop and the standard-error pass
 * @param secondsEStep of which in distributed passes
 * @param secondsScoring scoring every student (including its materialisation)
 * @param secondsTotal the whole run up to the outputs (writing comes after, in the runner)
 */
public record CalibrationReport(String calibrationId, DateWindow window, CalibrationResult result,
    List<EmIteration> iterations, Linking link, long students, long answers, long repeatedAnswers,
    int itemsSeen, int itemsCalibrated, int partitions, double secondsRead, double secondsEm,
    double secondsEStep, double secondsScoring, double secondsTotal) {

  /** Mean wall seconds of one EM iteration (M-step + distributed E-step). */
  public double secondsPerIteration() {
    return iterations.isEmpty() ? Double.NaN
        : iterations.stream().mapToDouble(EmIteration::seconds).sum() / iterations.size();
  }
}
