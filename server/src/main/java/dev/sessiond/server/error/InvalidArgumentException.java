package dev.sessiond.server.error;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** A request field (or metadata key) is missing, too long or malformed. */
public final class InvalidArgumentException extends SessiondException {

    private final String field;

    /**
     * @param field the request field or metadata key at fault, e.g. {@code page_size}
     * @param problem what is wrong and what was expected, e.g. {@code "-1 (expected: >= 0)"}
     */
    public InvalidArgumentException(String field, String problem) {
        super(Reason.INVALID_ARGUMENT, requireNonNull(field, "field") + ": " + problem, null);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of("field", field);
    }
}
