package dev.sessiond.server.error;

/** A user or session addressed by id does not exist. */
public final class NotFoundException extends SessiondException {

    public NotFoundException(String message) {
        super(Reason.NOT_FOUND, message, null);
    }
}
