package dev.eventfold.examples.orders;

import dev.eventfold.eventstore.projection.ProjectionStore;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.Jdbi;

/**
 * The read side: answers from the table of the <em>active</em> read-model version, so queries move from
 * {@code customer_totals_v1} to {@code customer_totals_v2} by themselves when version 2 takes over.
 */
public final class CustomerTotalsQueries {

    /**
     * One customer's line of the read model.
     *
     * @param customerId the customer
     * @param orders orders placed (version 2: and not cancelled)
     * @param cancelled orders cancelled (always 0 in version 1, which did not track them)
     * @param total their total
     * @param readModelVersion the read-model version that answered
     */
    public record CustomerTotal(String customerId, long orders, long cancelled, BigDecimal total,
            int readModelVersion) {
    }

    private final Jdbi jdbi;
    private final ProjectionStore<?> projections;
    private final String schema;

    /**
     * @param jdbi the read model's database
     * @param projections where the active version is recorded
     * @param schema the schema of the read-model tables
     */
    public CustomerTotalsQueries(Jdbi jdbi, ProjectionStore<?> projections, String schema) {
        this.jdbi = jdbi;
        this.projections = projections;
        this.schema = schema;
    }

    /**
     * @param customerId a customer
     * @return the customer's totals, empty if they have none or no read-model version is active yet
     */
    public Optional<CustomerTotal> find(String customerId) {
        OptionalInt active = projections.activeVersion(CustomerTotalsProjection.NAME);
        return active.isPresent() ? find(customerId, active.getAsInt()) : Optional.empty();
    }

    /**
     * Reads one version's table, active or not: to compare a version being built with the live one.
     *
     * @param customerId a customer
     * @param version a read-model version whose table exists
     * @return the customer's totals in that version, empty if they have none
     */
    public Optional<CustomerTotal> find(String customerId, int version) {
        String cancelled = version >= 2 ? "cancelled" : "0";
        return jdbi.withHandle(handle -> handle.createQuery("SELECT orders, " + cancelled + " AS cancelled, total FROM "
                        + CustomerTotalsProjection.table(schema, version) + " WHERE customer_id = :customer")
                .bind("customer", customerId)
                .map((rs, ctx) -> new CustomerTotal(customerId, rs.getLong("orders"), rs.getLong("cancelled"),
                        rs.getBigDecimal("total"), version))
                .findOne());
    }
}
