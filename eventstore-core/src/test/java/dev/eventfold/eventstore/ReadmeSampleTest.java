package dev.eventfold.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The README's code sample is the region between the tags below: this test runs it and checks that the README still
 * shows exactly this code (STYLE rule 16).
 */
class ReadmeSampleTest {

    @Test
    void the_readme_sample_runs() {
        // tag::sample[]
        try (EventStore store = InMemoryEventStore.create()) {
            String orderId = "order-" + UUID.randomUUID();

            AppendResult placed = store.append(orderId, ExpectedVersion.noStream(),
                    EventData.of("OrderPlaced", "{\"customerId\":\"c-7\",\"total\":\"25.00\",\"currency\":\"EUR\"}"));
            store.append(orderId, ExpectedVersion.exactly(placed.nextExpectedVersion()),
                    EventData.of("OrderConfirmed", "{}"));

            try {
                // A writer that still believes the order is at version 0 loses, and nothing is written.
                store.append(orderId, ExpectedVersion.exactly(0), EventData.of("OrderCancelled", "{}"));
            } catch (WrongExpectedVersionException conflict) {
                System.out.println(conflict.getMessage()); // ... expected 0, actual 1
            }

            List<RecordedEvent> history = store.readStreamForward(orderId);
            history.forEach(e -> System.out.println(e.streamVersion() + " " + e.type()));
            // end::sample[]
            assertThat(history).extracting(RecordedEvent::type).containsExactly("OrderPlaced", "OrderConfirmed");
        }
    }

    @Test
    void the_readme_shows_the_sample_verbatim() throws IOException {
        Path source = Path.of("src/test/java/dev/eventfold/eventstore/ReadmeSampleTest.java");
        List<String> region = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(source)) {
            if (line.contains("// end::sample[]")) {
                break;
            }
            if (inside) {
                region.add(line);
            }
            if (line.contains("// tag::sample[]")) {
                inside = true;
            }
        }
        int indent = region.get(0).length() - region.get(0).stripLeading().length();
        String expected = String.join("\n", region.stream()
                .map(l -> l.length() >= indent ? l.substring(indent) : l.strip()).toList()) + "\n}";

        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).as("README.md must show the sample of ReadmeSampleTest verbatim").contains(expected);
    }
}
