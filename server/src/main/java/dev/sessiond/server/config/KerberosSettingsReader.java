package dev.sessiond.server.config;

import static dev.sessiond.server.config.DomainSettingsReader.DNS_NAME;
import static dev.sessiond.server.config.DomainSettingsReader.DOMAIN_NAME;
import static dev.sessiond.server.config.DomainSettingsReader.path;
import static dev.sessiond.server.config.DomainSettingsReader.upper;

import dev.sessiond.server.auth.kerberos.KerberosConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Windows (Kerberos/SPNEGO) sign-in: {@code SESSIOND_KERBEROS_KEYTAB},
 * {@code SESSIOND_KERBEROS_PRINCIPAL} and {@code SESSIOND_KERBEROS_REALMS}. The keytab's keys
 * are checked when the server starts, not here: reading them is the JDK's Kerberos code.
 */
final class KerberosSettingsReader {

    private KerberosSettingsReader() {}

    static Optional<KerberosConfig> read(Map<Setting, String> values) {
        Optional<String> keytab = setting(values, Setting.KERBEROS_KEYTAB);
        Optional<String> principal = setting(values, Setting.KERBEROS_PRINCIPAL);
        Optional<String> realms = setting(values, Setting.KERBEROS_REALMS);
        if (keytab.isEmpty()) {
            if (principal.isPresent() || realms.isPresent()) {
                throw new ConfigException(Setting.KERBEROS_KEYTAB.variable(), "missing, but "
                        + (principal.isPresent() ? Setting.KERBEROS_PRINCIPAL : Setting.KERBEROS_REALMS).variable()
                        + " is set (expected: the service's keytab file)");
            }
            return Optional.empty();
        }
        Path file = path(Setting.KERBEROS_KEYTAB.variable(), keytab.get());
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(Setting.KERBEROS_KEYTAB.variable(),
                    "'" + file + "' cannot be read (expected: a keytab file)");
        }
        String service = principal.orElseThrow(() -> new ConfigException(Setting.KERBEROS_PRINCIPAL.variable(),
                "missing (expected: the service principal, e.g. HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM)"));
        String realm = KerberosConfig.realmOf(service);
        if (realm.isEmpty() || service.indexOf('@') == 0 || !DNS_NAME.matcher(realm).matches()
                || service.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new ConfigException(Setting.KERBEROS_PRINCIPAL.variable(), "'" + service
                    + "' (expected: a principal with its realm, e.g. HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM)");
        }
        Map<String, String> realmDomains = realms.isPresent() ? realmDomains(realms.get()) : defaultRealmDomains(realm);
        return Optional.of(new KerberosConfig(file, service, realmDomains));
    }

    private static Map<String, String> realmDomains(String text) {
        Map<String, String> realms = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String pair = part.strip();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String realm = eq < 0 ? pair : pair.substring(0, eq).strip();
            String domain = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (!DNS_NAME.matcher(realm).matches() || !DOMAIN_NAME.matcher(domain).matches()) {
                throw new ConfigException(Setting.KERBEROS_REALMS.variable(), "'" + pair
                        + "' (expected: REALM=DOMAIN pairs, comma-separated, e.g. CORP.EXAMPLE.COM=CORP)");
            }
            if (realms.put(upper(realm), upper(domain)) != null) {
                throw new ConfigException(Setting.KERBEROS_REALMS.variable(), "realm " + realm + " is listed twice");
            }
        }
        return realms;
    }

    /** By default only the service's own realm, whose users belong to the domain named by its first label. */
    private static Map<String, String> defaultRealmDomains(String realm) {
        String firstLabel = realm.split("\\.", 2)[0];
        if (!DOMAIN_NAME.matcher(firstLabel).matches()) {
            throw new ConfigException(Setting.KERBEROS_REALMS.variable(), "missing, and realm " + realm
                    + " gives no domain name (expected: REALM=DOMAIN pairs, e.g. CORP.EXAMPLE.COM=CORP)");
        }
        return Map.of(upper(realm), upper(firstLabel));
    }

    private static Optional<String> setting(Map<Setting, String> values, Setting setting) {
        return Optional.ofNullable(values.get(setting)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
