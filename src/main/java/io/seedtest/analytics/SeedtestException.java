package io.seedtest.analytics;

/**
 * A failure a user can act on: its message is one line saying what happened, why, and what to do.
 * The CLI prints only the message (no stack trace) and exits non-zero. Build instances through
 * {@link Errors} so every message follows the same shape.
 */
public class SeedtestException extends RuntimeException {
  private final int exitCode;

  public SeedtestException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
