package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.StreamEvent;
import dev.eventfold.eventstore.tck.ReadContract;
import dev.eventfold.eventstore.tck.StoreFixture;
import org.junit.jupiter.api.Test;

class PostgresReadContractTest extends ReadContract {

    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }

    @Test
    void a_folding_read_marks_the_stream_s_last_event_so_a_full_last_page_needs_no_further_read() {
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), events(4));

        assertThat(store.readStreamForFolding(stream, 0, 4)).extracting(StreamEvent::last)
                .containsExactly(false, false, false, true);
        assertThat(store.readStreamForFolding(stream, 0, 3)).extracting(StreamEvent::last)
                .containsExactly(false, false, false);
        store.append(stream, ExpectedVersion.exactly(3), events(1));
        assertThat(store.readStreamForFolding(stream, 2, 4)).extracting(StreamEvent::last)
                .containsExactly(false, false, true);
    }
}
