package dev.eventfold.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors, made below the application (bad percent-encoding, NUL in the path, an oversized URI or header
 * block, duplicate {@code Host}, a request that took too long to arrive), answered as problem+json like every other
 * error instead of Jetty's HTML page. The detail is the status's reason, never the offending input.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private static final HttpField PROBLEM = new HttpField(HttpHeader.CONTENT_TYPE, "application/problem+json");

    /** Every method gets a problem body: Jetty's default writes one only for GET, POST and HEAD. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(PROBLEM);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body(code, request.getHttpURI() == null ? null
                : request.getHttpURI().getPath())), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(PROBLEM);
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(body(status, null));
    }

    private static byte[] body(int status, String path) {
        String title = HttpStatus.getMessage(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail(status));
        if (path != null && path.length() <= 200 && !path.equals("/badMessage")) {
            body.put("instance", path);
        }
        try {
            return Json.RESPONSES.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "the request is malformed (for example bad percent-encoding, a control character in the "
                    + "path, or more than one Host header)";
            case 408 -> "the request took too long to arrive; send it in one go";
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            default -> "the request could not be processed (" + HttpStatus.getMessage(status) + ")";
        };
    }
}
