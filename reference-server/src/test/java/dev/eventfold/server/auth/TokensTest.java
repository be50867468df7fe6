package dev.eventfold.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The cache of verified access tokens answers only what a full verification would answer. */
class TokensTest {

    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private static final String REFRESH = "test-refresh-test-refresh-test-refresh-01";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final Tokens tokens = new Tokens(SECRET, REFRESH, Duration.ofMinutes(15), Duration.ofDays(1), clock, null);

    @Test
    void a_token_verified_before_is_answered_again_until_it_expires() {
        String token = tokens.issue("alice", Role.CUSTOMER);
        Caller first = tokens.verify(token);
        assertThat(tokens.verify(token)).isEqualTo(first);
        clock.now = clock.now.plus(Duration.ofMinutes(14));
        assertThat(tokens.verify(token).subject()).isEqualTo("alice");
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(AuthException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(AuthException.class).hasMessageContaining("expired");
    }

    @Test
    void an_altered_copy_of_a_verified_token_is_verified_in_full_and_refused() {
        String token = tokens.issue("alice", Role.CUSTOMER);
        tokens.verify(token);
        String[] parts = token.split("\\.");
        String otherSignature = parts[0] + "." + parts[1] + "." + tokens.issue("bob", Role.CUSTOMER).split("\\.")[2];
        assertThatThrownBy(() -> tokens.verify(otherSignature)).isInstanceOf(AuthException.class)
                .hasMessageContaining("signature");
        String admin = tokens.issue("alice", Role.ADMIN);
        String promoted = admin.split("\\.")[0] + "." + admin.split("\\.")[1] + "." + parts[2];
        assertThatThrownBy(() -> tokens.verify(promoted)).isInstanceOf(AuthException.class);
        assertThat(tokens.verify(token).role()).isEqualTo(Role.CUSTOMER);
    }

    @Test
    void a_token_of_another_key_is_refused_even_with_a_verified_one_cached() {
        tokens.verify(tokens.issue("alice", Role.CUSTOMER));
        String forged = new Tokens("another-secret-another-secret-0123456", REFRESH, Duration.ofMinutes(15),
                Duration.ofDays(1), clock, null).issue("alice", Role.CUSTOMER);
        assertThatThrownBy(() -> tokens.verify(forged)).isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> tokens.verify(null)).isInstanceOf(AuthException.class);
    }

    private static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
