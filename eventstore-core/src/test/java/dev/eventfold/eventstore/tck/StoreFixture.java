package dev.eventfold.eventstore.tck;

import dev.eventfold.eventstore.AppendListener;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreLimits;
import java.util.Set;

/**
 * Adapts one store implementation to the contract suites. A suite creates one fixture per test class, asks it for a
 * new store in every test, and closes the fixture after the class.
 *
 * <p>Rules for implementations: {@link #newStore} returns an <b>empty</b> store every time (the suites never clean up
 * for the store); the fixture owns and removes whatever backend it creates (a schema, a database, files); it declares
 * exactly the capabilities its store has.
 */
public interface StoreFixture extends AutoCloseable {

    /**
     * @param limits the limits the store must enforce
     * @return a new, empty store; the suite closes it after the test
     */
    default EventStore newStore(EventStoreLimits limits) {
        return newStore(limits, AppendListener.NONE);
    }

    /**
     * @param limits the limits the store must enforce
     * @param listener the append listener the store must tell
     * @return a new, empty store; the suite closes it after the test
     */
    EventStore newStore(EventStoreLimits limits, AppendListener listener);

    /** @return the optional capabilities the fixture's stores have */
    Set<Capability> capabilities();

    /** Removes everything the fixture created. */
    @Override
    void close();
}
