package dev.eventfold.eventstore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN §2 and STYLE rules 1, 3 and 12, checked on the compiled classes. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.eventfold");

    private static final JavaClasses ALL = new ClassFileImporter().importPackages("dev.eventfold");

    @Test
    void core_depends_on_no_jdbc_http_redis_or_metrics_library() {
        noClasses().that().resideInAPackage("dev.eventfold.eventstore..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.postgresql..",
                        "com.zaxxer..", "org.jdbi..", "io.javalin..", "org.eclipse.jetty..", "io.lettuce..",
                        "io.micrometer..", "io.opentelemetry..")
                .because("eventstore-core depends on the JDK, Jackson, Caffeine and slf4j-api only (DESIGN §2); "
                        + "metrics and tracing live in the optional eventstore-micrometer and eventstore-opentelemetry "
                        + "modules")
                .check(MAIN);
    }

    @Test
    void nothing_depends_on_the_server_benchmarks_or_examples() {
        noClasses().that().resideOutsideOfPackages("dev.eventfold.server..", "dev.eventfold.benchmarks..",
                        "dev.eventfold.examples..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.eventfold.server..",
                        "dev.eventfold.benchmarks..", "dev.eventfold.examples..")
                .allowEmptyShould(true)
                .because("the server, benchmarks and examples are leaves (DESIGN §2)")
                .check(ALL);
    }

    @Test
    void the_api_package_does_not_depend_on_implementations() {
        noClasses().that().resideInAPackage("dev.eventfold.eventstore")
                .should().dependOnClassesThat().resideInAnyPackage("dev.eventfold.eventstore.inmemory..",
                        "dev.eventfold.eventstore.internal..")
                .check(MAIN);
    }

    @Test
    void the_in_memory_store_exposes_only_its_entry_point() {
        classes().that().resideInAPackage("dev.eventfold.eventstore.inmemory").and().arePublic()
                .and().areTopLevelClasses()
                .should().haveSimpleNameStartingWith("InMemoryEventStore")
                .check(MAIN);
    }

    @Test
    void the_contract_suites_cannot_skip() {
        noClasses().that().resideInAPackage("dev.eventfold.eventstore.tck..")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.junit.jupiter.api.Assumptions")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.junit.jupiter.api.Disabled")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.opentest4j.TestAbortedException")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.junit.Assume")
                .because("a suite that skips silently is worse than no suite (STYLE rule 12)")
                .check(ALL);
    }
}
