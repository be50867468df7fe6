package dev.eventfold.eventstore;

/**
 * The one definition of a stream's category: the stream id up to (not including) its first {@code -}, or the whole id
 * when it has none. {@code order-6f1c-77} is in category {@code order}. The PostgreSQL store's {@code category()}
 * SQL function implements the same rule.
 */
public final class Category {

    private Category() {
    }

    /**
     * @param streamId a stream id
     * @return its category
     * @throws InvalidRequestException if {@code streamId} is null
     */
    public static String of(String streamId) {
        if (streamId == null) {
            throw new InvalidRequestException("streamId must not be null");
        }
        int dash = streamId.indexOf('-');
        return dash < 0 ? streamId : streamId.substring(0, dash);
    }
}
