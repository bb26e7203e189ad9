package io.seedtest.analytics.calibration;

import io.seedtest.analytics.irt.Responses;
import java.io.Serializable;

/**
 * One partition's students and their answers in the compact form the EM scans every iteration:
 * the students' ids and a {@link Responses} (CSR arrays of dense item indices and outcomes).
 * Cached deserialized on the executors once; about five bytes per answer and twelve per student.
 * A plain class, not a record, so any {@code spark.serializer} (Kryo included) can move it.
 */
public final class ResponseBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] users;
  private final Responses responses;

  public ResponseBlock(long[] users, Responses responses) {
    if (users.length != responses.students()) {
      throw new IllegalArgumentException(
          users.length + " user ids for " + responses.students() + " students");
    }
    this.users = users;
    this.responses = responses;
  }

  public long[] users() {
    return users;
  }

  public Responses responses() {
    return responses;
  }

  public int students() {
    return users.length;
  }
}
