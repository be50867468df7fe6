package dev.eventfold.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The order console (the {@code frontend/} build) served at {@code /console/} when the jar carries it: hashed assets
 * cached for a year, {@code index.html} for every client-side route, and {@code config.json} telling the console where
 * the API is (here: the same origin) and whether the dev sign-in exists (only in the embedded dev mode).
 */
public final class Console {

    /** Where the console is served. */
    public static final String PATH = "/console/";

    private static final String ROOT = "/console";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/-]{1,200}");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8", "css",
            "text/css; charset=utf-8", "html", "text/html; charset=utf-8", "svg", "image/svg+xml", "json",
            "application/json", "png", "image/png", "ico", "image/x-icon", "woff2", "font/woff2", "txt",
            "text/plain; charset=utf-8", "map", "application/json");

    private final boolean devSignIn;
    private final String version;
    private final boolean bundled;
    /** The jar's files never change while it runs: each is read once. Misses are not kept (any path may be asked). */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /**
     * @param devSignIn whether the server offers the dev sign-in (embedded dev mode)
     * @param version the server's version, shown in the console's header
     */
    public Console(boolean devSignIn, String version) {
        this.devSignIn = devSignIn;
        this.version = version;
        this.bundled = Console.class.getResource(ROOT + "/index.html") != null;
    }

    /** @return whether this jar carries the console (built with the frontend) */
    public boolean bundled() {
        return bundled;
    }

    void register(JavalinConfig cfg) {
        if (!bundled) {
            return;
        }
        // One handler for both: Javalin ignores trailing slashes, so "/console" also matches "/console/".
        cfg.routes.get("/console", this::file);
        cfg.routes.get("/console/config.json", this::config);
        cfg.routes.get("/console/*", this::file);
    }

    private void config(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiUrl", "");
        body.put("wsUrl", "");
        body.put("devSignIn", devSignIn);
        body.put("version", version);
        ctx.header("Cache-Control", "no-store");
        OrderJson.json(ctx, body);
    }

    private void file(Context ctx) {
        if (!ctx.path().startsWith(PATH)) {
            ctx.redirect(PATH);
            return;
        }
        String path = ctx.path().substring(PATH.length());
        if (path.isEmpty() || !SAFE.matcher(path).matches() || path.contains("..")) {
            path = "index.html";
        }
        byte[] bytes = read(path);
        if (bytes == null) {
            if (path.startsWith("assets/") || path.contains(".")) {
                throw ApiException.notFound("the console has no file " + path);
            }
            path = "index.html";
            bytes = read(path);
        }
        String extension = path.substring(path.lastIndexOf('.') + 1);
        ctx.contentType(TYPES.getOrDefault(extension, "application/octet-stream"));
        // Vite puts a content hash in every asset's name; the page itself must be fetched fresh to find new ones.
        ctx.header("Cache-Control", path.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        if ("index.html".equals(path)) {
            // Same origin for the API and its WebSocket: 'self' covers both (CSP 3), so injected script reaches nowhere.
            ctx.header("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                    + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
                    + "object-src 'none'");
        }
        ctx.result(bytes);
    }

    private byte[] read(String path) {
        byte[] cached = files.get(path);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = load(path);
        if (bytes != null) {
            files.put(path, bytes);
        }
        return bytes;
    }

    private static byte[] load(String path) {
        try (InputStream in = Console.class.getResourceAsStream(ROOT + "/" + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
