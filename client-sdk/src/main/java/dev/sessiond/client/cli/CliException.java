package dev.sessiond.client.cli;

/**
 * A failure sessionctl reports as one line on standard error, {@code sessionctl: <message>},
 * before it exits with status 1. The message never contains a token or a password.
 */
final class CliException extends RuntimeException {

    CliException(String message) {
        super(message, null, false, false);
    }
}
