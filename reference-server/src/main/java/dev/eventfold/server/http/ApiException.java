package dev.eventfold.server.http;

import java.util.List;
import java.util.Map;

/** An HTTP error with its problem details (RFC 9457). */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String title;
    final transient List<Map<String, String>> errors;
    final transient Map<String, String> headers;

    ApiException(int status, String title, String detail, List<Map<String, String>> errors,
            Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors;
        this.headers = headers;
    }

    static ApiException of(int status, String title, String detail) {
        return new ApiException(status, title, detail, List.of(), Map.of());
    }

    static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail, List.of(),
                Map.of("WWW-Authenticate", "Bearer realm=\"orders\""));
    }

    static ApiException forbidden(String detail) {
        return of(403, "Forbidden", detail);
    }

    static ApiException notFound(String detail) {
        return of(404, "Not Found", detail);
    }

    static ApiException invalid(String field, String message) {
        return new ApiException(422, "Unprocessable Content", "the request breaks a rule: " + field + " " + message,
                List.of(Map.of("field", field, "message", message)), Map.of());
    }
}
