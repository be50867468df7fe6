package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The backend image builds with {@code -pl reference-server -am} from the modules its Dockerfile copies: every module of
 * the root POM must be copied (the benchmarks' POM alone), or the build in the image fails where the host's passes.
 */
class DockerfileTest {

    private static final Path ROOT = Path.of("..");

    static List<String> missingModules(Path dockerfile) throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String docker = Files.readString(dockerfile);
        List<String> missing = new ArrayList<>();
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        while (module.find()) {
            String name = module.group(1);
            String copy = name.equals("benchmarks") ? "COPY benchmarks/pom.xml benchmarks/pom.xml"
                    : "COPY " + name + " " + name;
            if (!docker.contains(copy + "\n")) {
                missing.add(name);
            }
        }
        return missing;
    }

    @Test
    void the_image_copies_every_module_of_the_build() throws IOException {
        assertThat(missingModules(ROOT.resolve("reference-server/Dockerfile"))).isEmpty();
    }

    @Test
    void a_dockerfile_without_a_module_is_caught(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path broken = dir.resolve("Dockerfile");
        Files.writeString(broken, Files.readString(ROOT.resolve("reference-server/Dockerfile"))
                .replace("COPY eventstore-opentelemetry eventstore-opentelemetry\n", ""));
        assertThat(missingModules(broken)).containsExactly("eventstore-opentelemetry");
    }
}
