package dev.eventfold.eventstore.tck.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.eventfold.eventstore.AppendListener;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.tck.AppendContract;
import dev.eventfold.eventstore.tck.BadInputContract;
import dev.eventfold.eventstore.tck.Capability;
import dev.eventfold.eventstore.tck.ConcurrencyContract;
import dev.eventfold.eventstore.tck.DeletionContract;
import dev.eventfold.eventstore.tck.IdempotencyContract;
import dev.eventfold.eventstore.tck.ReadContract;
import dev.eventfold.eventstore.tck.StoreFixture;
import dev.eventfold.eventstore.tck.SubscriptionContract;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Shows that the contract suites can fail: runs every suite, through the JUnit Platform test kit, against stores that
 * are broken on purpose ({@link BrokenStore}) and requires each defect to be caught, nothing to be skipped or
 * aborted, and every test to fail against a store that honours nothing.
 *
 * <p>The suites run as the static nested classes below; Surefire does not pick up nested classes on its own.
 */
class ContractSuiteMetaTest {

    private static volatile BrokenStore current;

    private String previousWait;

    @BeforeEach
    void shortenAsyncWaits() {
        previousWait = System.getProperty("eventfold.tck.asyncWaitSeconds");
        System.setProperty("eventfold.tck.asyncWaitSeconds", "2");
    }

    @AfterEach
    void restoreAsyncWaits() {
        if (previousWait == null) {
            System.clearProperty("eventfold.tck.asyncWaitSeconds");
        } else {
            System.setProperty("eventfold.tck.asyncWaitSeconds", previousWait);
        }
    }

    @ParameterizedTest
    @EnumSource(value = BrokenStore.class, mode = EnumSource.Mode.EXCLUDE, names = "HONOURS_NOTHING")
    void the_suites_catch_every_broken_store_where_they_should_and_never_skip(BrokenStore broken) {
        EngineExecutionResults results = runAllSuitesAgainst(broken);

        Events tests = results.testEvents();
        assertThat(tests.started().count()).as("tests started against %s", broken).isGreaterThanOrEqualTo(60);
        assertThat(tests.skipped().count()).as("skipped tests").isZero();
        assertThat(tests.aborted().count()).as("aborted tests (assumptions)").isZero();
        assertThat(results.containerEvents().failed().count()).as("failed containers").isZero();
        Set<String> catching = tests.failed().stream()
                .map(e -> e.getTestDescriptor().getUniqueId().getSegments().get(1).getValue())
                .map(cls -> cls.substring(cls.lastIndexOf('$') + 1).replace("Suite", ""))
                .collect(Collectors.toSet());
        assertThat(catching).as("suites that caught %s", broken).containsAll(broken.caughtBy);
    }

    @Test
    void every_single_test_fails_against_a_store_that_honours_nothing() {
        EngineExecutionResults results = runAllSuitesAgainst(BrokenStore.HONOURS_NOTHING);

        Events tests = results.testEvents();
        List<String> passed = tests.succeeded().stream().map(ContractSuiteMetaTest::name)
                .collect(Collectors.toList());
        assertThat(passed).as("tests that pass without a working store cannot fail").isEmpty();
        assertThat(tests.skipped().count() + tests.aborted().count()).as("skipped or aborted").isZero();
        assertThat(tests.failed().count()).isEqualTo(tests.started().count()).isGreaterThanOrEqualTo(60);
    }

    private static String name(Event event) {
        return event.getTestDescriptor().getUniqueId().toString();
    }

    private static EngineExecutionResults runAllSuitesAgainst(BrokenStore broken) {
        current = broken;
        DiscoverySelector[] suites = {selectClass(AppendSuite.class), selectClass(ReadSuite.class),
                selectClass(IdempotencySuite.class), selectClass(ConcurrencySuite.class),
                selectClass(SubscriptionSuite.class), selectClass(BadInputSuite.class),
                selectClass(DeletionSuite.class)};
        return EngineTestKit.engine("junit-jupiter").selectors(suites)
                .configurationParameter("junit.jupiter.execution.timeout.default", "30 s").execute();
    }

    /** The fixture of the nested suites: stores of the currently selected defect. */
    static final class BrokenFixture implements StoreFixture {
        @Override
        public EventStore newStore(EventStoreLimits limits, AppendListener listener) {
            return current.factory.apply(limits);
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.STREAM_DELETION);
        }

        @Override
        public void close() {
        }
    }

    static class AppendSuite extends AppendContract {
        @Override
        protected StoreFixture createFixture() {
            return new BrokenFixture();
        }
    }

    static class ReadSuite extends ReadContract {
        @Override
        protected StoreFixture createFixture() {
            return new BrokenFixture();
        }
    }

    static class IdempotencySuite extends IdempotencyContract {
        @Override
        protected StoreFixture createFixture() {
            return new BrokenFixture();
        }
    }

    static class ConcurrencySuite extends ConcurrencyContract {
        @Override
        protected StoreFixture createFixture() {
            return new BrokenFixture();
        }
    }

    static class SubscriptionSuite extends SubscriptionContract {
        @Override
        protected StoreFixture createFixture() {
            return new BrokenFixture();
        }
    }

    static class BadInputSuite extends BadInputContract {
        @Override
        protected StoreFixture createFixture() {
            return new BrokenFixture();
        }
    }

    static class DeletionSuite extends DeletionContract {
        @Override
        protected StoreFixture createFixture() {
            return new BrokenFixture();
        }
    }
}
