package dev.eventfold.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RandomIdsTest {

    @Test
    void order_ids_are_random_version_4_uuids_that_do_not_repeat_across_refills() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) { // 31 refills of a thread's 32-id share
            UUID id = RandomIds.next();
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
            ids.add(id);
        }
        assertThat(ids).hasSize(1_000);
        assertThat(ids.stream().map(UUID::getMostSignificantBits).distinct()).hasSize(1_000);
    }
}
