package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;

/**
 * Where the stack trace of an unexpected failure goes: a file readable by its owner only (a trace
 * can quote row values), in SEEDTEST_ERROR_DIR or the temp folder. The operator sees one line
 * naming it; a developer opens the file.
 */
final class StackTraceFile {
  static final String DIR = "SEEDTEST_ERROR_DIR";

  private StackTraceFile() {}

  /** Writes the trace and returns its path, or says why it could not (never throws). */
  static String write(Throwable e, Map<String, String> env) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    String dir = env.getOrDefault(DIR, System.getProperty("java.io.tmpdir"));
    String stamp = Instant.now().toString().replaceAll("[^0-9TZ]", "");
    try {
      Path file = Path.of(dir, "seedtest-failure-" + stamp + "-" + ProcessHandle.current().pid() + ".txt");
      Files.createDirectories(file.getParent());
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, Errors.redact(trace.toString()));
      return file.toString();
    } catch (IOException | UnsupportedOperationException | SecurityException io) {
      return "not written (" + io.getMessage() + "); the log has it at DEBUG (logger io.seedtest)";
    }
  }
}
