package dev.sessiond.server.error;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A domain's directory cannot be reached (or refuses sessiond's own service account), so a
 * password could not be checked. Never reported as wrong credentials: the user did nothing
 * wrong, and the call may be retried. SPEC §2 has one reason for UNAVAILABLE,
 * {@code STORE_UNAVAILABLE}; {@code ErrorInfo.metadata} tells the two apart
 * ({@code service=ldap}, {@code domain=CORP}).
 */
public final class DirectoryUnavailableException extends SessiondException {

    private final String domain;

    public DirectoryUnavailableException(String domain, Throwable cause) {
        super(Reason.STORE_UNAVAILABLE,
                "the directory of domain " + requireNonNull(domain, "domain") + " is unavailable; retry later", cause);
        this.domain = domain;
    }

    public String domain() {
        return domain;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of("service", "ldap", "domain", domain);
    }
}
