package dev.sessiond.server.config;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import dev.sessiond.server.auth.domain.DomainSignInConfig;
import dev.sessiond.server.auth.ldap.LdapDomainConfig;
import dev.sessiond.server.auth.ldap.LdapTls;
import dev.sessiond.server.auth.ldap.LdapTrust;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the directory domains ({@code SESSIOND_LDAP_DOMAINS} and each domain's
 * {@link DomainSetting}s), and Windows sign-in through {@link KerberosSettingsReader}. Every bad
 * value is a {@link ConfigException} naming its variable. An empty value counts as unset.
 */
final class DomainSettingsReader {

    static final String VARIABLE_PREFIX = "SESSIOND_LDAP_";
    static final String FLAG_PREFIX = "--ldap-";

    /** A domain's name: what users type before the backslash, usable inside a variable name. */
    static final Pattern DOMAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    /** A DNS-like name: domain aliases and Kerberos realms. */
    static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253}[A-Za-z0-9])?");
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    static final String DEFAULT_USER_FILTER = "(&(objectCategory=person)(objectClass=user)(sAMAccountName={0}))";

    private final Map<Setting, String> values;
    private final Map<String, String> variables;
    private final Map<String, String> flags;
    private final Set<String> usedVariables = new HashSet<>();
    private final Set<String> usedFlags = new HashSet<>();

    DomainSettingsReader(Map<Setting, String> values, Map<String, String> variables, Map<String, String> flags) {
        this.values = values;
        this.variables = variables;
        this.flags = flags;
    }

    DomainSignInConfig read() {
        List<String> domains = domainNames();
        List<LdapDomainConfig> ldap = new ArrayList<>();
        for (String domain : domains) {
            ldap.add(domain(domain));
        }
        checkNothingLeft(domains);
        checkNamesAreUnique(ldap);
        return new DomainSignInConfig(ldap, KerberosSettingsReader.read(values));
    }

    private List<String> domainNames() {
        Set<String> names = new LinkedHashSet<>();
        for (String part : values.getOrDefault(Setting.LDAP_DOMAINS, "").split(",")) {
            String name = part.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!DOMAIN_NAME.matcher(name).matches()) {
                throw new ConfigException(Setting.LDAP_DOMAINS.variable(), "'" + name
                        + "' is not a domain name (expected: letters, digits and '-', at most 64, e.g. CORP)");
            }
            if (!names.add(upper(name))) {
                throw new ConfigException(Setting.LDAP_DOMAINS.variable(), "'" + name + "' is listed twice");
            }
        }
        return List.copyOf(names);
    }

    private LdapDomainConfig domain(String domain) {
        List<LdapDomainConfig.Server> servers = new ArrayList<>();
        String scheme = null;
        String urls = text(domain, DomainSetting.URL).orElseThrow(() -> new ConfigException(
                DomainSetting.URL.variable(domain), "missing (expected: ldaps://host[:port], or ldap://host[:port])"));
        for (String text : urls.split("[\\s,]+")) {
            LDAPURL url = ldapUrl(domain, text);
            if (scheme != null && !scheme.equals(url.getScheme())) {
                throw bad(domain, DomainSetting.URL, urls, "mixes ldap:// and ldaps:// (expected: one scheme for all)");
            }
            scheme = url.getScheme();
            servers.add(new LdapDomainConfig.Server(url.getHost(), url.getPort()));
        }
        LdapTls tls = tls(domain, scheme);

        Optional<String> dnPattern = text(domain, DomainSetting.USER_DN_PATTERN);
        Optional<String> explicitFilter = text(domain, DomainSetting.USER_FILTER);
        if (dnPattern.isPresent() && explicitFilter.isPresent()) {
            throw new ConfigException(DomainSetting.USER_FILTER.variable(domain),
                    "set together with " + DomainSetting.USER_DN_PATTERN.variable(domain) + " (expected: one of them)");
        }
        dnPattern.ifPresent(pattern -> {
            if (!pattern.contains(LdapDomainConfig.USER_PLACEHOLDER)
                    || !DN.isValidDN(pattern.replace(LdapDomainConfig.USER_PLACEHOLDER, "user"))) {
                throw bad(domain, DomainSetting.USER_DN_PATTERN, pattern,
                        "expected: a DN with {0} for the user name, e.g. uid={0},ou=people,dc=example,dc=com");
            }
        });
        String filter = explicitFilter.orElse(DEFAULT_USER_FILTER);
        if (!filter.contains(LdapDomainConfig.USER_PLACEHOLDER) || !isFilter(filter)) {
            throw bad(domain, DomainSetting.USER_FILTER, filter,
                    "expected: an LDAP filter with {0} for the user name, e.g. (sAMAccountName={0})");
        }
        Optional<String> baseDn = dn(domain, DomainSetting.BASE_DN);
        if (baseDn.isEmpty() && dnPattern.isEmpty()) {
            throw new ConfigException(DomainSetting.BASE_DN.variable(domain),
                    "missing (expected: where users are searched, e.g. DC=corp,DC=example,DC=com)");
        }

        Optional<String> bindDn = text(domain, DomainSetting.BIND_DN);
        String bindPassword = raw(domain, DomainSetting.BIND_PASSWORD).orElse("");
        if (bindDn.isPresent() && bindPassword.isEmpty()) {
            // A simple bind with a DN and no password is an anonymous bind: never what was meant.
            throw new ConfigException(DomainSetting.BIND_PASSWORD.variable(domain),
                    "empty (expected: the password of " + DomainSetting.BIND_DN.variable(domain) + ")");
        }
        if (bindDn.isEmpty() && !bindPassword.isEmpty()) {
            throw new ConfigException(DomainSetting.BIND_PASSWORD.variable(domain),
                    "set without " + DomainSetting.BIND_DN.variable(domain) + " (expected: both or neither)");
        }

        Optional<Path> trustStore = text(domain, DomainSetting.TRUST_STORE)
                .map(p -> path(DomainSetting.TRUST_STORE.variable(domain), p));
        String trustStorePassword = raw(domain, DomainSetting.TRUST_STORE_PASSWORD).orElse("");
        if (trustStore.isPresent()) {
            if (tls == LdapTls.NONE) {
                throw new ConfigException(DomainSetting.TRUST_STORE.variable(domain),
                        "set, but " + DomainSetting.TLS.variable(domain) + " is none (expected: TLS, or no trust store)");
            }
            try {
                LdapTrust.trustManager(trustStore, trustStorePassword);
            } catch (IOException | GeneralSecurityException e) {
                throw new ConfigException(DomainSetting.TRUST_STORE.variable(domain),
                        "'" + trustStore.get() + "' is unusable: " + e.getMessage() + " (expected: a PEM file of CA "
                                + "certificates, or a PKCS12/JKS trust store and its password)");
            }
        }

        return new LdapDomainConfig(
                domain,
                aliases(domain),
                servers,
                tls,
                baseDn.orElse(""),
                filter,
                dnPattern,
                bindDn,
                bindPassword,
                dn(domain, DomainSetting.ADMIN_GROUP),
                duration(domain, DomainSetting.CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT),
                duration(domain, DomainSetting.RESPONSE_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT),
                trustStore,
                trustStorePassword);
    }

    private LDAPURL ldapUrl(String domain, String text) {
        LDAPURL url;
        try {
            url = new LDAPURL(text);
        } catch (LDAPException e) {
            throw bad(domain, DomainSetting.URL, text, "expected: ldaps://host[:port], or ldap://host[:port]");
        }
        boolean plain = url.getScheme().equals("ldap") || url.getScheme().equals("ldaps");
        if (!plain || !url.hostProvided() || url.baseDNProvided() || url.attributesProvided() || url.scopeProvided()
                || url.filterProvided()) {
            throw bad(domain, DomainSetting.URL, text,
                    "expected: ldaps://host[:port], or ldap://host[:port], without DN or filter");
        }
        return url;
    }

    private LdapTls tls(String domain, String scheme) {
        boolean ldaps = scheme.equals("ldaps");
        Optional<String> value = text(domain, DomainSetting.TLS).map(DomainSettingsReader::lower);
        if (value.isEmpty()) {
            return ldaps ? LdapTls.LDAPS : LdapTls.STARTTLS;
        }
        LdapTls tls = switch (value.get()) {
            case "ldaps" -> LdapTls.LDAPS;
            case "starttls" -> LdapTls.STARTTLS;
            case "none" -> LdapTls.NONE;
            default -> throw bad(domain, DomainSetting.TLS, value.get(), "expected: ldaps, starttls or none");
        };
        if (ldaps != (tls == LdapTls.LDAPS)) {
            throw bad(domain, DomainSetting.TLS, value.get(), ldaps
                    ? "the URL is ldaps:// (expected: ldaps, or an ldap:// URL)"
                    : "the URL is ldap:// (expected: starttls or none, or an ldaps:// URL)");
        }
        return tls;
    }

    private Set<String> aliases(String domain) {
        Set<String> aliases = new LinkedHashSet<>();
        for (String part : text(domain, DomainSetting.ALIASES).orElse("").split(",")) {
            String alias = part.strip();
            if (alias.isEmpty()) {
                continue;
            }
            if (!DNS_NAME.matcher(alias).matches()) {
                throw bad(domain, DomainSetting.ALIASES, alias, "expected: names such as corp.example.com, comma-separated");
            }
            aliases.add(upper(alias));
        }
        aliases.remove(domain);
        return aliases;
    }

    /** Variables and flags that name a listed domain but no setting are typos: refuse them. */
    private void checkNothingLeft(List<String> domains) {
        for (String flag : flags.keySet()) {
            if (!usedFlags.contains(flag)) {
                throw new ConfigException(flag, "unknown flag (see --help; domains are listed in "
                        + Setting.LDAP_DOMAINS.flag() + ")");
            }
        }
        for (String variable : variables.keySet()) {
            if (usedVariables.contains(variable)) {
                continue;
            }
            for (String domain : domains) {
                String prefix = DomainSetting.URL.variable(domain);
                prefix = prefix.substring(0, prefix.length() - DomainSetting.URL.name().length());
                if (variable.startsWith(prefix)) {
                    throw new ConfigException(variable, "not a setting of domain " + domain + " (expected one of: "
                            + Arrays.stream(DomainSetting.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
                }
            }
        }
    }

    private void checkNamesAreUnique(List<LdapDomainConfig> domains) {
        Map<String, String> owner = new HashMap<>();
        domains.forEach(d -> owner.put(d.domain(), d.domain()));
        for (LdapDomainConfig domain : domains) {
            for (String alias : domain.aliases()) {
                String previous = owner.putIfAbsent(alias, domain.domain());
                if (previous != null && !previous.equals(domain.domain())) {
                    throw new ConfigException(DomainSetting.ALIASES.variable(domain.domain()),
                            "'" + alias + "' names domain " + previous + " already (expected: names of this domain only)");
                }
            }
        }
    }

    /** The value of a domain's setting, flag before variable, stripped; empty = unset. */
    private Optional<String> text(String domain, DomainSetting setting) {
        return raw(domain, setting).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** The value as given (passwords keep their spaces); empty = unset. */
    private Optional<String> raw(String domain, DomainSetting setting) {
        String flag = setting.flag(domain);
        String variable = setting.variable(domain);
        usedFlags.add(flag);
        usedVariables.add(variable);
        String value = flags.containsKey(flag) ? flags.get(flag) : variables.get(variable);
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }

    private Optional<String> dn(String domain, DomainSetting setting) {
        Optional<String> value = text(domain, setting);
        value.ifPresent(dn -> {
            if (!DN.isValidDN(dn)) {
                throw bad(domain, setting, dn, "expected: a DN such as CN=Admins,OU=Groups,DC=corp,DC=example,DC=com");
            }
        });
        return value;
    }

    private Duration duration(String domain, DomainSetting setting, Duration fallback) {
        Optional<String> value = text(domain, setting);
        if (value.isEmpty()) {
            return fallback;
        }
        Duration parsed = ConfigLoader.parseDuration(value.get());
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            throw bad(domain, setting, value.get(), "expected: a positive duration such as 500ms, 5s or PT10S");
        }
        return parsed;
    }

    static Path path(String variable, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException(variable, "'" + value + "' is not a usable path");
        }
    }

    private static boolean isFilter(String filter) {
        try {
            Filter.create(filter.replace(LdapDomainConfig.USER_PLACEHOLDER, "user"));
            return true;
        } catch (LDAPException e) {
            return false;
        }
    }

    private static ConfigException bad(String domain, DomainSetting setting, String value, String expected) {
        return new ConfigException(setting.variable(domain), "'" + value + "' (" + expected + ")");
    }

    static String upper(String text) {
        return text.toUpperCase(Locale.ROOT);
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
