package dev.eventfold.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** X-Forwarded-For believed only as far as the operator's trusted proxies vouch for it. */
class TrustedProxiesTest {

    private final TrustedProxies loadBalancers = TrustedProxies.of(List.of("10.0.0.0/8", "fd00::/8", "192.0.2.7"));

    @Test
    void without_trusted_proxies_the_header_is_ignored() {
        assertThat(TrustedProxies.none().client("203.0.113.9", "1.2.3.4")).isEqualTo("203.0.113.9");
    }

    @Test
    void a_client_talking_directly_cannot_claim_another_address() {
        assertThat(loadBalancers.client("203.0.113.9", "1.2.3.4")).isEqualTo("203.0.113.9");
    }

    @Test
    void behind_trusted_hops_the_first_untrusted_address_from_the_right_is_the_client() {
        assertThat(loadBalancers.client("10.1.2.3", "198.51.100.20")).isEqualTo("198.51.100.20");
        assertThat(loadBalancers.client("10.1.2.3", "198.51.100.20, 192.0.2.7")).isEqualTo("198.51.100.20");
        assertThat(loadBalancers.client("10.1.2.3", "6.6.6.6, 198.51.100.20")).as("a spoofed entry on the left")
                .isEqualTo("198.51.100.20");
        assertThat(loadBalancers.client("fd12::1", "2001:db8::5")).isEqualTo("2001:db8::5");
    }

    @Test
    void garbage_or_only_trusted_hops_fall_back_to_the_last_vouched_address() {
        assertThat(loadBalancers.client("10.1.2.3", "evil.example, ' OR 1=1")).isEqualTo("10.1.2.3");
        assertThat(loadBalancers.client("10.1.2.3", "198.51.100.20, not-an-ip, 10.9.9.9")).isEqualTo("10.9.9.9");
        assertThat(loadBalancers.client("10.1.2.3", "10.4.4.4")).isEqualTo("10.4.4.4");
    }

    @Test
    void host_names_and_bad_ranges_are_refused_at_start_up() {
        for (String bad : List.of("lb.internal", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "")) {
            assertThatThrownBy(() -> TrustedProxies.of(List.of(bad))).hasMessageContaining("CIDR");
        }
    }
}
