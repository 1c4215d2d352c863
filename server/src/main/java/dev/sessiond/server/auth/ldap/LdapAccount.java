package dev.sessiond.server.auth.ldap;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A directory user whose password (or Kerberos ticket) has been checked.
 *
 * @param dn the user's entry
 * @param displayName the user's {@code displayName} (or {@code cn}); empty if the entry has neither
 * @param isAdmin whether the user is a member of the domain's admin group; empty when the
 *     domain has none configured
 */
public record LdapAccount(String dn, String displayName, Optional<Boolean> isAdmin) {
    public LdapAccount {
        requireNonNull(dn, "dn");
        requireNonNull(displayName, "displayName");
        requireNonNull(isAdmin, "isAdmin");
    }
}
