package dev.eventfold.eventstore.postgres.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Relays TCP connections from an address of this host (a veth end, say) to a service that listens only on loopback,
 * such as the machine's PostgreSQL, byte for byte. {@link #retarget} sends new connections elsewhere, as a DNS name or
 * a virtual IP moves to a promoted replica (RDS Multi-AZ's failover); connections already relayed stay where they are.
 */
public final class TcpRelay implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile InetSocketAddress target;

    private TcpRelay(ServerSocket server, String targetHost, int targetPort) {
        this.server = server;
        this.target = InetSocketAddress.createUnresolved(targetHost, targetPort);
        Thread acceptor = new Thread(this::accept, "relay-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * @param bindAddress the address to listen on (a free port is chosen)
     * @param targetHost where connections go
     * @param targetPort where connections go
     * @return a running relay
     */
    public static TcpRelay start(String bindAddress, String targetHost, int targetPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
        return new TcpRelay(server, targetHost, targetPort);
    }

    /** @return the port the relay listens on */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * Sends the connections accepted from now on to another address.
     *
     * @param targetHost where new connections go
     * @param targetPort where new connections go
     */
    public void retarget(String targetHost, int targetPort) {
        target = InetSocketAddress.createUnresolved(targetHost, targetPort);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                InetSocketAddress to = target;
                Socket target;
                try {
                    target = new Socket(to.getHostString(), to.getPort());
                } catch (IOException e) {
                    client.close(); // nothing listens there (yet): refused, as the client would see it directly
                    continue;
                }
                sockets.add(client);
                sockets.add(target);
                pump(client, target);
                pump(target, client);
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) != -1;) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Stops listening and closes every relayed connection. */
    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(this::closeQuietly);
    }
}
