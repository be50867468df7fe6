package dev.eventfold.server.auth;

/** A token or session was refused: answered 401 with this message, which never quotes the token. */
public final class AuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AuthException(String message) {
        super(message);
    }
}
