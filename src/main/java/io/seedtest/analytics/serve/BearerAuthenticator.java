package io.seedtest.analytics.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The authenticator of the update path, as an HTTP server attaches one to a context: the router
 * asks it before any handler of that path runs, whatever the method, so no handler checks tokens
 * itself. The token is compared in constant time and never logged.
 */
final class BearerAuthenticator {
  static final String CHALLENGE = "Bearer realm=\"seedtest\"";
  private final byte[] token;

  private BearerAuthenticator(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** The authenticator for {@code token}, or null when the operator started serve without one. */
  static BearerAuthenticator forToken(String token) {
    return token == null ? null : new BearerAuthenticator(token);
  }

  /** Whether an {@code Authorization} header value carries the token. */
  boolean authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8), token);
  }
}
