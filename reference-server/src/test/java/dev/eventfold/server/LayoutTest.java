package dev.eventfold.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The server's packages by concern (STYLE rule 18): no cycles, SQL only in the read models, small classes. */
class LayoutTest {

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.eventfold.server");

    @Test
    void packages_have_no_cycles() {
        slices().matching("dev.eventfold.server.(*)..").should().beFreeOfCycles().check(SERVER);
    }

    @Test
    void routes_and_plugins_know_nothing_of_jdbc_and_nothing_depends_on_the_wiring() {
        noClasses().that().resideInAPackage("dev.eventfold.server.http..").should().dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "javax.sql..", "org.jdbi..")
                .because("SQL lives in the read-model package").check(SERVER);
        noClasses().that().resideOutsideOfPackage("dev.eventfold.server").should().dependOnClassesThat()
                .haveFullyQualifiedName(Server.class.getName()).check(SERVER);
    }

    @Test
    void no_class_is_longer_than_about_300_lines() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            List<String> long_ = files.filter(f -> f.toString().endsWith(".java")).filter(f -> lines(f) > 320)
                    .map(f -> f + " (" + lines(f) + " lines)").toList();
            assertThat(long_).isEmpty();
        }
        assertThat(SERVER.stream().map(JavaClass::getPackageName).distinct()).contains("dev.eventfold.server.http",
                "dev.eventfold.server.readmodel", "dev.eventfold.server.config", "dev.eventfold.server.health",
                "dev.eventfold.server.metrics", "dev.eventfold.server.auth", "dev.eventfold.server.redis");
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
