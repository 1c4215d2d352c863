package dev.sessiond.server.config;

import java.util.Locale;

/**
 * The settings of one directory domain named in {@code SESSIOND_LDAP_DOMAINS}: for domain
 * {@code CORP}, {@code SESSIOND_LDAP_CORP_URL} ↔ {@code --ldap-corp-url}. In variable names
 * the domain is upper case with {@code -} written as {@code _}; in flags it is lower case.
 */
public enum DomainSetting {
    URL("(required)", "the directory: ldaps://host[:port], or ldap://host[:port] with StartTLS; "
            + "several, separated by spaces, are tried in order"),
    TLS("(ldaps for ldaps:// URLs, else starttls)", "ldaps, starttls, or none (passwords in clear: tests only)"),
    BASE_DN("(required unless USER_DN_PATTERN is set)", "where users are searched, e.g. DC=corp,DC=example,DC=com"),
    USER_FILTER("(&(objectCategory=person)(objectClass=user)(sAMAccountName={0}))",
            "search filter that finds a user; {0} is the user name, escaped"),
    USER_DN_PATTERN("", "bind DN of a user, instead of a search, e.g. uid={0},ou=people,dc=example,dc=com"),
    BIND_DN("", "service account that searches for users; empty = anonymous search"),
    BIND_PASSWORD("", "that account's password"),
    ADMIN_GROUP("", "DN of the group whose members are administrators; empty = the directory does not decide"),
    ALIASES("", "other names of the domain, e.g. corp.example.com, for user@name logins and the domain field"),
    CONNECT_TIMEOUT("5s", "how long connecting to one directory server may take"),
    RESPONSE_TIMEOUT("10s", "how long one directory operation may take"),
    TRUST_STORE("(the JVM's trusted CAs)", "CA certificates the directory's certificate is checked against: "
            + "a PEM file, or a PKCS12/JKS trust store"),
    TRUST_STORE_PASSWORD("", "password of a PKCS12/JKS trust store");

    /** How the domain is written in the documentation's generic names. */
    public static final String DOMAIN_PLACEHOLDER = "<DOMAIN>";

    private final String defaultText;
    private final String description;

    DomainSetting(String defaultText, String description) {
        this.defaultText = defaultText;
        this.description = description;
    }

    /** The environment variable for {@code domain}, e.g. {@code SESSIOND_LDAP_CORP_URL}. */
    public String variable(String domain) {
        return "SESSIOND_LDAP_" + domain.toUpperCase(Locale.ROOT).replace('-', '_') + "_" + name();
    }

    /** The command-line flag for {@code domain}, e.g. {@code --ldap-corp-url}. */
    public String flag(String domain) {
        return "--ldap-" + domain.toLowerCase(Locale.ROOT) + "-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The variable as documented, e.g. {@code SESSIOND_LDAP_<DOMAIN>_URL}. */
    public String genericVariable() {
        return "SESSIOND_LDAP_" + DOMAIN_PLACEHOLDER + "_" + name();
    }

    /** The flag as documented, e.g. {@code --ldap-<domain>-url}. */
    public String genericFlag() {
        return "--ldap-" + DOMAIN_PLACEHOLDER.toLowerCase(Locale.ROOT) + "-"
                + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }
}
