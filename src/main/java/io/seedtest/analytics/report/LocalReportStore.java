package io.seedtest.analytics.report;

import io.seedtest.analytics.Errors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The embedded default: report files under a local folder ({@code <lake>/reports}), URLs
 * {@code file:///…}. A file is written to a temporary name and moved into place, so a reader never
 * sees half a report; an existing file with the same bytes is left alone.
 */
final class LocalReportStore implements ReportStore {
  private static final long serialVersionUID = 1L;

  private final String root;

  LocalReportStore(String root) {
    this.root = Path.of(root.startsWith("file:") ? java.net.URI.create(root).getPath() : root).toAbsolutePath()
        .normalize().toString();
  }

  @Override
  public void check() {
    try {
      Files.createDirectories(Path.of(root));
    } catch (IOException e) {
      throw Errors.reportStorageUnreachable(root, "cannot create the folder (" + e.getMessage() + ")");
    }
  }

  @Override
  public Session open() {
    return new Session() {
      @Override
      public Stored put(String key, byte[] bytes, String sha256, boolean mayExist) {
        Path file = Path.of(root, key);
        try {
          if (mayExist && Files.isRegularFile(file) && Files.size(file) == bytes.length
              && Arrays.equals(Files.readAllBytes(file), bytes)) {
            return new Stored(file.toUri().toString(), false);
          }
          Files.createDirectories(file.getParent());
          Path tmp = Files.createTempFile(file.getParent(), ".report-", ".tmp");
          Files.write(tmp, bytes);
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          return new Stored(file.toUri().toString(), true);
        } catch (IOException e) {
          throw new UncheckedIOException("writing " + file, e);
        }
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public Map<Long, Long> stored(LocalDate weekEnding, ReportLocale locale) {
    Path week = Path.of(root, ReportStore.weekPrefix(weekEnding));
    Map<Long, Long> out = new HashMap<>();
    if (!Files.isDirectory(week)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(week, 2)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Long user = ReportStore.userOf(week.relativize(f).toString().replace('\\', '/'), locale);
        if (user != null && Files.isRegularFile(f)) {
          out.put(user, Files.size(f));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + week, e);
    }
    return out;
  }

  @Override
  public String describe() {
    return Path.of(root).toUri().toString();
  }
}
