package dev.eventfold.server;

import dev.eventfold.server.auth.JwksVerifier;
import dev.eventfold.server.auth.Tokens;
import dev.eventfold.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * The token keys: the configured ones, or in the embedded dev mode keys generated once into the data directory
 * ({@code jwt-secret}, {@code jwt-refresh-secret}, created readable by their owner only), so {@code token} and
 * {@code serve} agree across restarts.
 */
final class Secrets {

    private Secrets() {
    }

    /** @return the token service of this configuration */
    static Tokens tokens(ServerConfig config, Clock clock) {
        ServerConfig.Auth auth = config.auth();
        JwksVerifier provider = auth.jwksUrl() == null ? null
                : new JwksVerifier(auth.jwksUrl(), auth.issuer(), auth.audience(), auth.roleClaim());
        return new Tokens(secret(config, auth.jwtSecret(), "jwt-secret"),
                secret(config, auth.jwtRefreshSecret(), "jwt-refresh-secret"), auth.jwtExpiry(), auth.refreshExpiry(),
                clock, provider);
    }

    static String secret(ServerConfig config, String configured, String name) {
        if (configured != null) {
            return configured;
        }
        Path file = config.dataDir().resolve(name);
        try {
            Files.createDirectories(config.dataDir());
            byte[] key = new byte[48];
            new SecureRandom().nextBytes(key);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------")));
                Files.writeString(file, secret, StandardCharsets.UTF_8);
                return secret;
            } catch (FileAlreadyExistsException e) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or create the key " + file, e);
        }
    }
}
