package dev.sessiond.server.error;

/** The session is in a state that does not allow the request: deactivated, with no seat to reactivate it. */
public final class SessionStateException extends SessiondException {

    public SessionStateException(String message) {
        super(Reason.CANT_REACTIVATE_SESSION, message, null);
    }
}
