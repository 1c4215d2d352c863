package dev.sessiond.server.api;

import com.google.protobuf.ByteString;
import dev.sessiond.server.error.InvalidArgumentException;
import dev.sessiond.server.user.UserService;
import java.util.UUID;

/** Checks of request fields; each failure names the field. */
final class Args {

    static final int MAX_APPLICATION_ID = 128;
    static final int MAX_PAGE_SIZE = 1000;
    static final int DEFAULT_PAGE_SIZE = 100;

    private Args() {}

    static UUID uuid(String field, String value) {
        if (value.isEmpty()) {
            throw new InvalidArgumentException(field, "empty (expected: a UUID)");
        }
        try {
            if (value.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(field, "'" + clip(value) + "' (expected: a UUID such as 123e4567-e89b-12d3-a456-426614174000)");
        }
    }

    static String required(String field, String value, int max) {
        if (value.isEmpty()) {
            throw new InvalidArgumentException(field, "empty (expected: 1 to " + max + " characters)");
        }
        return UserService.checkText(field, value, max);
    }

    static String optional(String field, String value, int max) {
        return UserService.checkText(field, value, max);
    }

    static String applicationId(String value) {
        return optional("application_id", value, MAX_APPLICATION_ID);
    }

    /** Required bytes of at most {@code max} bytes. */
    static byte[] bytes(String field, ByteString value, int max) {
        if (value.isEmpty()) {
            throw new InvalidArgumentException(field, "empty (expected: 1 to " + max + " bytes)");
        }
        if (value.size() > max) {
            throw new InvalidArgumentException(field, value.size() + " bytes (expected: at most " + max + ")");
        }
        return value.toByteArray();
    }

    static String token(String field, String value) {
        if (value.isEmpty()) {
            throw new InvalidArgumentException(field, "empty (expected: a token from OpenSession)");
        }
        return value;
    }

    /** AIP-158 page size: 0 = default, negative or over the maximum = INVALID_ARGUMENT. */
    static int pageSize(int value) {
        if (value < 0) {
            throw new InvalidArgumentException("page_size", value + " (expected: >= 0)");
        }
        if (value > MAX_PAGE_SIZE) {
            throw new InvalidArgumentException("page_size", value + " (expected: <= " + MAX_PAGE_SIZE + ")");
        }
        return value == 0 ? DEFAULT_PAGE_SIZE : value;
    }

    private static String clip(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
