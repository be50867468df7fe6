package dev.eventfold.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventfold.server.config.ServerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Applies the logging settings to the JSON appender of {@code logback.xml}: the level ({@code LOG_LEVEL},
 * {@code logging.level}) and the fields every line carries ({@code service}, {@code version},
 * {@code environment}).
 */
final class Logging {

    private Logging() {
    }

    static void configure(ServerConfig.Logging logging) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(logging.level(), Level.INFO));
        if (root.getAppender("JSON") instanceof OutputStreamAppender<ILoggingEvent> appender
                && appender.getEncoder() instanceof LogstashEncoder encoder) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("service", logging.service());
            fields.put("version", logging.version());
            fields.put("environment", logging.environment());
            try {
                encoder.stop();
                encoder.setCustomFields(new ObjectMapper().writeValueAsString(fields));
                encoder.start();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
