package dev.eventfold.server.redis;

import dev.eventfold.server.config.ServerConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/** Builds the Lettuce client from the settings: TLS ({@code rediss}) with full verification, password, delays. */
final class RedisClients {

    private RedisClients() {
    }

    /** Reconnections after a lost connection wait {@code redis.retryDelayOnFailover}. */
    static ClientResources resources(ServerConfig.Redis config) {
        return ClientResources.builder().reconnectDelay(Delay.constant(config.retryDelayOnFailover())).build();
    }

    static RedisClient create(ServerConfig.Redis config, ClientResources resources, Duration timeout) {
        RedisURI.Builder uri = RedisURI.builder().withHost(config.host()).withPort(config.port())
                .withTimeout(timeout);
        if (config.password() != null) {
            uri.withPassword(config.password().toCharArray());
        }
        ClientOptions.Builder options = ClientOptions.builder();
        if (config.tls()) {
            uri.withSsl(true).withVerifyPeer(SslVerifyMode.FULL);
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
            if (config.tlsCert() != null) {
                ssl.trustManager(caFile(config.tlsCert()).toFile());
            }
            options.sslOptions(ssl.build());
        }
        RedisClient client = RedisClient.create(resources, uri.build());
        client.setOptions(options.build());
        return client;
    }

    private static Path caFile(String pem) {
        try {
            Path ca = Files.createTempFile("redis-ca-", ".pem",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            ca.toFile().deleteOnExit();
            Files.writeString(ca, pem);
            return ca;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write REDIS_TLS_CERT to a temporary file (is /tmp writable?)",
                    e);
        }
    }
}
