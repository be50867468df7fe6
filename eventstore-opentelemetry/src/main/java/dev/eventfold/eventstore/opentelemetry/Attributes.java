package dev.eventfold.eventstore.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;

/** The span attributes this module sets; {@code docs/observability.md} lists them. */
final class Attributes {

    static final AttributeKey<String> STREAM_ID = AttributeKey.stringKey("eventstore.stream.id");
    static final AttributeKey<String> CATEGORY = AttributeKey.stringKey("eventstore.stream.category");
    static final AttributeKey<Long> EVENT_COUNT = AttributeKey.longKey("eventstore.event.count");
    static final AttributeKey<String> EXPECTED_VERSION = AttributeKey.stringKey("eventstore.expected_version");
    static final AttributeKey<Long> STREAM_VERSION = AttributeKey.longKey("eventstore.stream.version");
    static final AttributeKey<Long> TRANSACTION_ID = AttributeKey.longKey("eventstore.transaction_id");
    static final AttributeKey<Boolean> RETRY_OF_TRACED_APPEND =
            AttributeKey.booleanKey("eventstore.retry_of_traced_append");
    static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("eventstore.event.id");
    static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("eventstore.event.type");
    static final AttributeKey<Long> GLOBAL_POSITION = AttributeKey.longKey("eventstore.event.global_position");
    static final AttributeKey<Long> EVENTS_REPLAYED = AttributeKey.longKey("eventstore.load.events_replayed");
    static final AttributeKey<Boolean> FROM_SNAPSHOT = AttributeKey.booleanKey("eventstore.load.from_snapshot");
    static final AttributeKey<String> PROJECTION = AttributeKey.stringKey("eventstore.projection.name");
    static final AttributeKey<Long> PROJECTION_VERSION = AttributeKey.longKey("eventstore.projection.version");

    private Attributes() {
    }
}
