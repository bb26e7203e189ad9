package io.seedtest.analytics.importer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The platform's tables key students, items and sessions by BIGINT; exports name them as they
 * like ("u0001", "Item_1"). A positive whole number is kept as it is; any other name gets a stable
 * id from its SHA-256 (kind and name), so a rerun gives the same ids (idempotent import) and the
 * name → id table ({@code import_ids}) lets a person read the results by the names they know.
 */
final class StableIds {
  private StableIds() {}

  static long of(String kind, String name) {
    String n = name.trim();
    if (n.matches("[1-9][0-9]{0,17}")) {
      return Long.parseLong(n);
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest((kind + ":" + n).getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      // 18 digits from 10^17: above the ids people number things with, and within what the
      // contract's attempt view reads from the JSON (seedtest_try_bigint: at most 18 digits)
      return 100_000_000_000_000_000L + Math.floorMod(v, 900_000_000_000_000_000L);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  static boolean isNumeric(String name) {
    return name.trim().matches("[1-9][0-9]{0,17}");
  }
}
