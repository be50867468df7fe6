package dev.eventfold.server.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One dependency's state, in the seed's {@code DependencyHealth} shape.
 *
 * @param status {@code healthy} or {@code unhealthy}
 * @param responseTime how long the check took, in milliseconds
 * @param lastChecked when the check ran
 * @param error why it is unhealthy (the exception's class and a short message; never a payload), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DependencyHealth(String status, long responseTime, Instant lastChecked, String error) {

    /** @return whether the dependency answered */
    public boolean healthy() {
        return "healthy".equals(status);
    }
}
