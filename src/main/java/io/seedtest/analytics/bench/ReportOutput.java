package io.seedtest.analytics.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A benchmark's report: printed on stdout and, when asked for, written as a Markdown file. */
public final class ReportOutput {
  private ReportOutput() {}

  public static void emit(List<String> lines, Path file) throws IOException {
    String text = String.join("\n", lines) + "\n";
    System.out.println();
    System.out.println(text);
    if (file != null) {
      Files.writeString(file, text);
    }
  }
}
