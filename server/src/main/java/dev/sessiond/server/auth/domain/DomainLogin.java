package dev.sessiond.server.auth.domain;

import static java.util.Objects.requireNonNull;

/**
 * A user of a directory domain, e.g. {@code CORP\alice}: the sessiond login of domain users,
 * which no local login can take (local logins have no {@code \}).
 *
 * @param domain the domain's name, upper case
 * @param userName the user's name in the domain
 */
public record DomainLogin(String domain, String userName) {

    public DomainLogin {
        requireNonNull(domain, "domain");
        requireNonNull(userName, "userName");
    }

    /** The sessiond login, {@code DOMAIN\}{@code user}. */
    public String login() {
        return domain + "\\" + userName;
    }

    @Override
    public String toString() {
        return login();
    }
}
