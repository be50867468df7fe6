package dev.eventfold.eventstore.postgres.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace for a process under test, joined to this host by veth pairs ({@code ip netns}, root only). A
 * link is cut by taking its host end down: packets from the namespace are then dropped silently, as in a real
 * partition (no reset, no ICMP), until it is restored. This machine's kernel has no {@code netem}, so links are cut,
 * not delayed.
 */
public final class NetworkNamespace implements AutoCloseable {

    private final String name;
    private final int subnet;
    private final List<Link> links = new ArrayList<>();

    private NetworkNamespace(String name, int subnet) {
        this.name = name;
        this.subnet = subnet;
    }

    /**
     * @return a new namespace with its loopback up
     * @throws IllegalStateException if namespaces cannot be made here (not root, no iproute2)
     */
    public static NetworkNamespace create() {
        int tag = ThreadLocalRandom.current().nextInt(0x1000, 0xffff);
        NetworkNamespace namespace = new NetworkNamespace("ef" + Integer.toHexString(tag), tag % 250 + 1);
        ip("netns", "add", namespace.name);
        namespace.exec("ip", "link", "set", "lo", "up");
        return namespace;
    }

    /**
     * Adds a veth pair: {@code 10.213.<subnet>.<4n+1>} on this host, {@code .<4n+2>} in the namespace.
     *
     * @return the link
     */
    public Link link() {
        int n = links.size();
        String host = name + n + "h";
        String inside = name + n + "n";
        String hostAddress = "10.213." + subnet + "." + (4 * n + 1);
        String insideAddress = "10.213." + subnet + "." + (4 * n + 2);
        ip("link", "add", host, "type", "veth", "peer", "name", inside);
        ip("link", "set", inside, "netns", name);
        ip("addr", "add", hostAddress + "/30", "dev", host);
        ip("link", "set", host, "up");
        exec("ip", "addr", "add", insideAddress + "/30", "dev", inside);
        exec("ip", "link", "set", inside, "up");
        Link link = new Link(host, hostAddress, insideAddress);
        links.add(link);
        return link;
    }

    /** @return {@code command} prefixed to run inside the namespace */
    public List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    private void exec(String... command) {
        run(inside(List.of(command)));
    }

    private static void ip(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        run(command);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (network namespaces need root "
                        + "and iproute2): " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Deletes the namespace and with it every veth pair. */
    @Override
    public void close() {
        run(List.of("ip", "netns", "del", name));
    }

    /** One veth pair between this host and the namespace. */
    public static final class Link {
        private final String hostInterface;
        private final String hostAddress;
        private final String insideAddress;

        private Link(String hostInterface, String hostAddress, String insideAddress) {
            this.hostInterface = hostInterface;
            this.hostAddress = hostAddress;
            this.insideAddress = insideAddress;
        }

        /** @return this host's address on the link, reachable from the namespace */
        public String hostAddress() {
            return hostAddress;
        }

        /** @return the namespace's address on the link, reachable from this host */
        public String insideAddress() {
            return insideAddress;
        }

        /** Cuts the link: from now on packets across it are dropped without a word. */
        public void cut() {
            ip("link", "set", hostInterface, "down");
        }

        /** Restores a cut link. */
        public void restore() {
            ip("link", "set", hostInterface, "up");
        }
    }
}
