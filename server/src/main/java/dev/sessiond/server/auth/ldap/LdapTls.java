package dev.sessiond.server.auth.ldap;

/** How the connection to a directory is protected. */
public enum LdapTls {
    /** TLS from the first byte ({@code ldaps://}, usually port 636). */
    LDAPS,
    /** A plain {@code ldap://} connection upgraded with the StartTLS extended operation before anything else is sent. */
    STARTTLS,
    /** No TLS: passwords cross the network in clear. Only for tests and trusted loopback set-ups. */
    NONE
}
