package dev.sessiond.server.error;

/** A login or session id is already taken. */
public final class AlreadyExistsException extends SessiondException {

    public AlreadyExistsException(String message) {
        super(Reason.ALREADY_EXISTS, message, null);
    }
}
