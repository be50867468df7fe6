package dev.eventfold.eventstore.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.InvalidRequestException;
import java.time.Duration;

/**
 * A HikariCP pool for the event store with the seed's defaults, validated up front (never silently repaired).
 *
 * <table>
 *   <caption>Pool settings</caption>
 *   <tr><th>setting</th><th>default</th><th>valid</th></tr>
 *   <tr><td>{@code minIdle}</td><td>5</td><td>0 to {@code maxSize}</td></tr>
 *   <tr><td>{@code maxSize}</td><td>20</td><td>1 to 1,000</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>10 s</td><td>10 s (HikariCP's floor) or more</td></tr>
 *   <tr><td>{@code connectionTimeout}</td><td>60 s</td><td>250 ms or more</td></tr>
 *   <tr><td>{@code socketTimeout}</td><td>none</td><td>{@code Duration.ZERO} (none) or whole seconds</td></tr>
 * </table>
 *
 * <p>Connections use TCP keep-alive, and a borrowed connection is checked for at most half of
 * {@code connectionTimeout} (5 s at most). Without a socket timeout, a statement whose network path is cut silently (a
 * partition, not a refused connection) waits as long as the operating system retransmits, about 15 minutes on Linux.
 *
 * <p>A subscribing store holds one connection of the pool for LISTEN. The builder is not thread-safe; the pool is.
 */
public final class PostgresPool {

    private PostgresPool() {
    }

    /**
     * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/orders}
     * @return a builder with the seed's defaults
     */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    /** Builds a pool. Not thread-safe. */
    public static final class Builder {
        private final String jdbcUrl;
        private String username;
        private String password;
        private String poolName = "eventfold";
        private int minIdle = 5;
        private int maxSize = 20;
        private Duration idleTimeout = Duration.ofSeconds(10);
        private Duration connectionTimeout = Duration.ofSeconds(60);
        private Duration socketTimeout = Duration.ZERO;

        private Builder(String jdbcUrl) {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new InvalidRequestException("jdbcUrl must start with 'jdbc:postgresql:', was '" + jdbcUrl + "'");
            }
            this.jdbcUrl = jdbcUrl;
        }

        /**
         * @param value the user name
         * @return this builder
         */
        public Builder username(String value) {
            username = value;
            return this;
        }

        /**
         * @param value the password, or null
         * @return this builder
         */
        public Builder password(String value) {
            password = value;
            return this;
        }

        /**
         * @param value the pool's name in logs and metrics
         * @return this builder
         */
        public Builder poolName(String value) {
            if (value == null || value.isBlank()) {
                throw new InvalidRequestException("poolName must not be blank");
            }
            poolName = value;
            return this;
        }

        /**
         * @param value idle connections kept, 0 or more
         * @return this builder
         * @throws InvalidRequestException if negative
         */
        public Builder minIdle(int value) {
            if (value < 0) {
                throw new InvalidRequestException("minIdle must be 0 or more, was " + value);
            }
            minIdle = value;
            return this;
        }

        /**
         * @param value the most connections, 1 to 1,000
         * @return this builder
         * @throws InvalidRequestException if out of range
         */
        public Builder maxSize(int value) {
            if (value < 1 || value > 1000) {
                throw new InvalidRequestException("maxSize must be between 1 and 1000, was " + value);
            }
            maxSize = value;
            return this;
        }

        /**
         * @param value how long an idle connection above minIdle lives, 10 s or more
         * @return this builder
         * @throws InvalidRequestException if shorter than 10 s (HikariCP would silently use 10 minutes instead)
         */
        public Builder idleTimeout(Duration value) {
            if (value == null || value.compareTo(Duration.ofSeconds(10)) < 0) {
                throw new InvalidRequestException("idleTimeout must be 10 s or more (HikariCP's floor), was " + value);
            }
            idleTimeout = value;
            return this;
        }

        /**
         * @param value how long to wait for a connection, 250 ms or more
         * @return this builder
         * @throws InvalidRequestException if shorter than 250 ms
         */
        public Builder connectionTimeout(Duration value) {
            if (value == null || value.compareTo(Duration.ofMillis(250)) < 0) {
                throw new InvalidRequestException("connectionTimeout must be 250 ms or more, was " + value);
            }
            connectionTimeout = value;
            return this;
        }

        /**
         * @param value how long a statement may wait for the database's answer before its connection is closed and
         *     the statement fails ({@code Duration.ZERO}: no limit); longer than the slowest statement, migrations
         *     included
         * @return this builder
         * @throws InvalidRequestException if negative or not whole seconds (the driver counts seconds)
         */
        public Builder socketTimeout(Duration value) {
            if (value == null || value.isNegative() || value.toNanos() % 1_000_000_000L != 0) {
                throw new InvalidRequestException("socketTimeout must be zero or whole seconds, was " + value);
            }
            socketTimeout = value;
            return this;
        }

        /**
         * @return a started pool; close it when done
         * @throws InvalidRequestException if minIdle exceeds maxSize
         */
        public HikariDataSource build() {
            if (minIdle > maxSize) {
                throw new InvalidRequestException("minIdle (" + minIdle + ") must not exceed maxSize (" + maxSize + ")");
            }
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(username);
            config.setPassword(password);
            config.setPoolName(poolName);
            config.setMinimumIdle(minIdle);
            config.setMaximumPoolSize(maxSize);
            config.setIdleTimeout(idleTimeout.toMillis());
            config.setConnectionTimeout(connectionTimeout.toMillis());
            // Checking a borrowed connection must not outlast the borrower's wait (HikariCP's default is 5 s).
            config.setValidationTimeout(Math.max(250, Math.min(5000, connectionTimeout.toMillis() / 2)));
            config.setInitializationFailTimeout(-1);
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            config.addDataSourceProperty("tcpKeepAlive", "true");
            config.addDataSourceProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
            return new HikariDataSource(config);
        }
    }
}
