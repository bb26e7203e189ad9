package io.seedtest.analytics.irt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the long-format LSAT files in src/test/resources/irt ({@code user_id,item_id,correct})
 * into {@link Responses}, items indexed in name order (Item_1 → 0) so indices match mirt's
 * column order.
 */
final class LsatData {
  private LsatData() {}

  static Responses load(String resource) {
    Map<String, List<String[]>> byUser = new LinkedHashMap<>();
    TreeMap<String, Integer> items = new TreeMap<>();
    try (InputStream in = LsatData.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String header = reader.readLine();
      if (!"user_id,item_id,correct".equals(header)) {
        throw new IllegalStateException("unexpected header in " + resource + ": " + header);
      }
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",");
        byUser.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
        items.put(f[1], 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int next = 0;
    for (Map.Entry<String, Integer> e : items.entrySet()) {
      e.setValue(next++);
    }
    int answers = byUser.values().stream().mapToInt(List::size).sum();
    int[] offsets = new int[byUser.size() + 1];
    int[] itemIndex = new int[answers];
    byte[] correct = new byte[answers];
    int s = 0;
    int i = 0;
    for (List<String[]> rows : byUser.values()) {
      for (String[] f : rows) {
        itemIndex[i] = items.get(f[1]);
        correct[i] = Byte.parseByte(f[2].trim());
        i++;
      }
      offsets[++s] = i;
    }
    return new Responses(offsets, itemIndex, correct, items.size());
  }
}
