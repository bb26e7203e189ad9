package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Which students the churn model trains on: all of them up to {@link #MAX_STUDENTS}, else a share
 * of them chosen by a hash of user_id. Nine weights need nowhere near a million students, and
 * training (five weeks of features, then the fit) is the nightly job's largest stage: with the cap
 * it costs about the same at 1M students as at 200k. The hash keeps a student's weeks together and
 * picks the same students on a rerun. The model still scores every student.
 */
public final class ChurnTrainingSample {
  public static final long MAX_STUDENTS = 200_000;
  private static final long BUCKETS = 1_000_000;

  private ChurnTrainingSample() {}

  /** The share of {@code students} to train on. */
  public static double share(long students, long maxStudents) {
    return students <= maxStudents ? 1.0 : (double) maxStudents / students;
  }

  /** {@code userDays} of the sampled students only (all of them when {@code share} ≥ 1). */
  public static Dataset<Row> of(Dataset<Row> userDays, double share) {
    if (share >= 1.0) {
      return userDays;
    }
    return userDays.where(pmod(xxhash64(col("user_id")), lit(BUCKETS)).lt(Math.round(share * BUCKETS)));
  }
}
