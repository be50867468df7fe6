package dev.eventfold.eventstore.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Java block of the guides in {@code docs/} is preceded by {@code <!-- sample: <file>#<tag> -->} and must equal
 * the region between {@code // tag::<tag>[]} and {@code // end::<tag>[]} of that file (relative to the repository
 * root), dedented (STYLE rule 16). A block without a marker fails the test.
 */
class DocSamplesTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern MARKER = Pattern.compile("<!-- sample: ([^#]+)#([a-z0-9-]+) -->");

    @ParameterizedTest
    @ValueSource(strings = {"docs/aggregates.md", "docs/projections.md", "docs/observability.md",
        "docs/getting-started.md"})
    void every_java_block_is_compiled_code(String page) throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve(page));
        int blocks = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```java")) {
                continue;
            }
            blocks++;
            Matcher marker = MARKER.matcher(i > 0 ? lines.get(i - 1) : "");
            assertThat(marker.matches()).as("%s line %d: a java block must follow a sample marker", page, i + 1)
                    .isTrue();
            List<String> shown = new ArrayList<>();
            int j = i + 1;
            while (!lines.get(j).equals("```")) {
                shown.add(lines.get(j++));
            }
            assertThat(String.join("\n", shown)).as("%s line %d shows %s#%s", page, i + 1, marker.group(1),
                    marker.group(2)).isEqualTo(region(marker.group(1), marker.group(2)));
        }
        assertThat(blocks).as("java blocks in %s", page).isPositive();
    }

    private static String region(String file, String tag) throws IOException {
        List<String> region = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(ROOT.resolve(file))) {
            if (line.contains("// end::" + tag + "[]")) {
                break;
            }
            if (inside) {
                region.add(line);
            }
            if (line.contains("// tag::" + tag + "[]")) {
                inside = true;
            }
        }
        assertThat(region).as("region %s in %s", tag, file).isNotEmpty();
        int indent = region.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return String.join("\n", region.stream().map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
                .toList());
    }
}
