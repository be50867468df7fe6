package dev.eventfold.eventstore.opentelemetry;

import dev.eventfold.eventstore.AppendResult;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.Supplier;

/** Test helpers: run in a new trace, and search OTLP exports for bytes. */
final class Traces {

    private Traces() {
    }

    /** Runs an append in a new root span, as a client's retry in another request would. */
    static AppendResult inNewTrace(OpenTelemetry openTelemetry, Supplier<AppendResult> append) {
        Span request = openTelemetry.getTracer("test").spanBuilder("request").setNoParent().startSpan();
        try (Scope ignored = request.makeCurrent()) {
            return append.get();
        } finally {
            request.end();
        }
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        return all.toByteArray();
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
