package dev.eventfold.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who the client is behind proxies the operator trusts ({@code TRUSTED_PROXIES}: addresses and CIDR ranges, e.g. the
 * load balancer's subnet). {@code X-Forwarded-For} is read only when the connection comes from a trusted proxy, and
 * then from the right: each trusted hop is skipped and the first address not trusted is the client. Entries a client
 * wrote itself sit further left and are never reached, so a spoofed header dodges nothing. With no trusted proxies
 * (the default) the header is ignored and the connection's address counts. Immutable.
 */
public final class TrustedProxies {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

    private static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

    private final List<byte[]> networks;
    private final List<Integer> prefixes;

    private TrustedProxies(List<byte[]> networks, List<Integer> prefixes) {
        this.networks = networks;
        this.prefixes = prefixes;
    }

    /** @return no trusted proxies: {@code X-Forwarded-For} is ignored */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * @param entries addresses or CIDR ranges such as {@code 10.0.0.0/8} or {@code fd00::/8}
     * @return the trusted proxies
     * @throws IllegalArgumentException naming the first entry that is not a literal address or range
     */
    public static TrustedProxies of(List<String> entries) {
        List<byte[]> networks = new ArrayList<>();
        List<Integer> prefixes = new ArrayList<>();
        for (String entry : entries) {
            String[] parts = entry.strip().split("/", -1);
            byte[] address = literal(parts[0]);
            int max = address == null ? 0 : address.length * 8;
            int prefix;
            try {
                prefix = parts.length == 1 ? max : parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (address == null || prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range");
            }
            networks.add(address);
            prefixes.add(prefix);
        }
        return new TrustedProxies(List.copyOf(networks), List.copyOf(prefixes));
    }

    /**
     * @param remoteAddress the connection's peer
     * @param forwardedFor the {@code X-Forwarded-For} header, or null
     * @return the client's address
     */
    public String client(String remoteAddress, String forwardedFor) {
        if (networks.isEmpty() || forwardedFor == null || !trusted(literal(remoteAddress))) {
            return remoteAddress;
        }
        String client = remoteAddress;
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            byte[] address = literal(hop);
            if (address == null) {
                return client; // garbage a trusted hop passed on: the last address it vouched for counts
            }
            client = hop;
            if (!trusted(address)) {
                return hop;
            }
        }
        return client;
    }

    private boolean trusted(byte[] address) {
        if (address == null) {
            return false;
        }
        for (int n = 0; n < networks.size(); n++) {
            byte[] network = networks.get(n);
            if (network.length == address.length && matches(network, address, prefixes.get(n))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] network, byte[] address, int prefix) {
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((network[bit / 8] & mask) != (address[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** @return the bytes of a literal IPv4 or IPv6 address, null for anything else (never a DNS lookup) */
    private static byte[] literal(String text) {
        if (text == null || !LITERAL.matcher(text).matches() || (!text.contains(".") && !text.contains(":"))) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
