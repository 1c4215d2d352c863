package dev.sessiond.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.sessiond.server.auth.domain.DomainSignInConfig;
import dev.sessiond.server.auth.kerberos.KerberosConfig;
import dev.sessiond.server.auth.ldap.LdapDomainConfig;
import dev.sessiond.server.auth.ldap.LdapTls;
import dev.sessiond.server.testing.TestDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading the directory domains and Windows sign-in from the environment and flags. */
class DomainSettingsTest {

    private static final Map<String, String> CORP = Map.of(
            "SESSIOND_LDAP_DOMAINS", "corp",
            "SESSIOND_LDAP_CORP_URL", "ldaps://dc1.corp.example.com ldaps://dc2.corp.example.com:3269",
            "SESSIOND_LDAP_CORP_BASE_DN", "DC=corp,DC=example,DC=com");

    @TempDir
    static Path files;

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> env = new HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static DomainSignInConfig load(Map<String, String> env, String... args) {
        return ConfigLoader.load(env, args).domainSignIn();
    }

    @Test
    void nothingSet_meansNoDomainSignIn() {
        DomainSignInConfig config = load(Map.of());

        assertThat(config.ldapDomains()).isEmpty();
        assertThat(config.kerberos()).isEmpty();
    }

    @Test
    void aDomain_getsTheDocumentedDefaults() {
        LdapDomainConfig corp = load(CORP).ldapDomains().getFirst();

        assertThat(corp.domain()).isEqualTo("CORP");
        assertThat(corp.servers()).containsExactly(
                new LdapDomainConfig.Server("dc1.corp.example.com", 636),
                new LdapDomainConfig.Server("dc2.corp.example.com", 3269));
        assertThat(corp.tls()).isEqualTo(LdapTls.LDAPS);
        assertThat(corp.userFilter()).isEqualTo("(&(objectCategory=person)(objectClass=user)(sAMAccountName={0}))");
        assertThat(corp.userDnPattern()).isEmpty();
        assertThat(corp.bindDn()).isEmpty();
        assertThat(corp.adminGroupDn()).isEmpty();
        assertThat(corp.aliases()).isEmpty();
        assertThat(corp.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(corp.responseTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(corp.trustStore()).isEmpty();
    }

    @Test
    void everyDomainSetting_isRead_andPasswordsAreNeverPrinted() throws IOException {
        Path pem = files.resolve("ca.pem");
        TestDirectory.certificates(files.resolve("ca.p12"), pem, "localhost", "127.0.0.1");
        Config config = ConfigLoader.load(Map.ofEntries(
                Map.entry("SESSIOND_LDAP_DOMAINS", "CORP, eu-west"),
                Map.entry("SESSIOND_LDAP_CORP_URL", "ldap://dc.corp.example.com"),
                Map.entry("SESSIOND_LDAP_CORP_BASE_DN", "DC=corp,DC=example,DC=com"),
                Map.entry("SESSIOND_LDAP_CORP_BIND_DN", "CN=svc,DC=corp,DC=example,DC=com"),
                Map.entry("SESSIOND_LDAP_CORP_BIND_PASSWORD", " bind secret "),
                Map.entry("SESSIOND_LDAP_CORP_ADMIN_GROUP", "CN=Admins,DC=corp,DC=example,DC=com"),
                Map.entry("SESSIOND_LDAP_CORP_ALIASES", "corp.example.com, corp.example"),
                Map.entry("SESSIOND_LDAP_CORP_CONNECT_TIMEOUT", "750ms"),
                Map.entry("SESSIOND_LDAP_CORP_RESPONSE_TIMEOUT", "PT3S"),
                Map.entry("SESSIOND_LDAP_CORP_TRUST_STORE", pem.toString()),
                Map.entry("SESSIOND_LDAP_CORP_USER_FILTER", "(uid={0})"),
                Map.entry("SESSIOND_LDAP_EU_WEST_URL", "ldap://127.0.0.1:10389"),
                Map.entry("SESSIOND_LDAP_EU_WEST_TLS", "NONE"),
                Map.entry("SESSIOND_LDAP_EU_WEST_USER_DN_PATTERN", "uid={0},ou=people,dc=eu,dc=example")));

        List<LdapDomainConfig> domains = config.domainSignIn().ldapDomains();
        LdapDomainConfig corp = domains.get(0);
        assertThat(corp.tls()).isEqualTo(LdapTls.STARTTLS);
        assertThat(corp.servers()).containsExactly(new LdapDomainConfig.Server("dc.corp.example.com", 389));
        assertThat(corp.bindDn()).contains("CN=svc,DC=corp,DC=example,DC=com");
        assertThat(corp.bindPassword()).isEqualTo(" bind secret ");
        assertThat(corp.adminGroupDn()).contains("CN=Admins,DC=corp,DC=example,DC=com");
        assertThat(corp.aliases()).containsExactlyInAnyOrder("CORP.EXAMPLE.COM", "CORP.EXAMPLE");
        assertThat(corp.connectTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(corp.responseTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(corp.trustStore()).contains(pem);
        assertThat(corp.userFilter()).isEqualTo("(uid={0})");
        LdapDomainConfig eu = domains.get(1);
        assertThat(eu.domain()).isEqualTo("EU-WEST");
        assertThat(eu.tls()).isEqualTo(LdapTls.NONE);
        assertThat(eu.userDnPattern()).contains("uid={0},ou=people,dc=eu,dc=example");
        assertThat(eu.baseDn()).isEmpty();
        assertThat(config.toString()).doesNotContain("bind secret");
    }

    @Test
    void aDomainFlag_winsOverItsVariable() {
        LdapDomainConfig corp = load(CORP, "--ldap-corp-url", "ldaps://other.example.com",
                "--ldap-corp-response-timeout=2s").ldapDomains().getFirst();

        assertThat(corp.servers()).containsExactly(new LdapDomainConfig.Server("other.example.com", 636));
        assertThat(corp.responseTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void domainsCanBeListedByFlagToo() {
        DomainSignInConfig config = load(Map.of(), "--ldap-domains", "CORP",
                "--ldap-corp-url", "ldaps://dc.example.com", "--ldap-corp-base-dn", "dc=example,dc=com");

        assertThat(config.ldapDomains()).extracting(LdapDomainConfig::domain).containsExactly("CORP");
    }

    @Test
    void variablesOfUnlistedDomains_areIgnored() {
        DomainSignInConfig config = load(with(CORP, "SESSIOND_LDAP_OLD_URL", "ldaps://old.example.com"));

        assertThat(config.ldapDomains()).extracting(LdapDomainConfig::domain).containsExactly("CORP");
    }

    @Test
    void kerberos_defaultsToTheServicesRealm() throws IOException {
        Path keytab = Files.write(files.resolve("default.keytab"), new byte[] {5, 2});

        KerberosConfig kerberos = load(Map.of(
                "SESSIOND_KERBEROS_KEYTAB", keytab.toString(),
                "SESSIOND_KERBEROS_PRINCIPAL", "HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM")).kerberos().orElseThrow();

        assertThat(kerberos.keytab()).isEqualTo(keytab);
        assertThat(kerberos.servicePrincipal()).isEqualTo("HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM");
        assertThat(kerberos.realmDomains()).isEqualTo(Map.of("CORP.EXAMPLE.COM", "CORP"));
    }

    @Test
    void kerberos_realmsMapToDomains() throws IOException {
        Path keytab = Files.write(files.resolve("realms.keytab"), new byte[] {5, 2});

        KerberosConfig kerberos = load(Map.of(
                "SESSIOND_KERBEROS_KEYTAB", keytab.toString(),
                "SESSIOND_KERBEROS_PRINCIPAL", "HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM",
                "SESSIOND_KERBEROS_REALMS", "corp.example.com=CORP, EU.EXAMPLE.COM = eu")).kerberos().orElseThrow();

        assertThat(kerberos.realmDomains()).isEqualTo(Map.of("CORP.EXAMPLE.COM", "CORP", "EU.EXAMPLE.COM", "EU"));
    }

    static Stream<Arguments> badSettings() throws IOException {
        Path garbage = Files.writeString(files.resolve("garbage.pem"), "not a certificate");
        Path keytab = Files.write(files.resolve("bad-settings.keytab"), new byte[] {5, 2});
        String missing = files.resolve("missing.keytab").toString();
        return Stream.of(
                arguments(Map.of("SESSIOND_LDAP_DOMAINS", "CORP.EXAMPLE"), "SESSIOND_LDAP_DOMAINS", "CORP.EXAMPLE"),
                arguments(Map.of("SESSIOND_LDAP_DOMAINS", "CORP,corp"), "SESSIOND_LDAP_DOMAINS", "corp"),
                arguments(Map.of("SESSIOND_LDAP_DOMAINS", "CORP"), "SESSIOND_LDAP_CORP_URL", "missing"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_URL", "http://dc.example.com"), "SESSIOND_LDAP_CORP_URL", "http://dc.example.com"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_URL", "ldaps://dc.example.com/dc=example"),
                        "SESSIOND_LDAP_CORP_URL", "dc=example"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_URL", "ldaps://a.example.com ldap://b.example.com"),
                        "SESSIOND_LDAP_CORP_URL", "mixes"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_TLS", "none"), "SESSIOND_LDAP_CORP_TLS", "none"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_TLS", "maybe"), "SESSIOND_LDAP_CORP_TLS", "maybe"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_USER_FILTER", "(uid=alice)"), "SESSIOND_LDAP_CORP_USER_FILTER", "(uid=alice)"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_USER_FILTER", "(uid={0}"), "SESSIOND_LDAP_CORP_USER_FILTER", "(uid={0}"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_USER_DN_PATTERN", "uid=x,dc=example"),
                        "SESSIOND_LDAP_CORP_USER_DN_PATTERN", "uid=x,dc=example"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_USER_DN_PATTERN", "uid={0},dc=example", "SESSIOND_LDAP_CORP_USER_FILTER", "(uid={0})"),
                        "SESSIOND_LDAP_CORP_USER_FILTER", "USER_DN_PATTERN"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_BASE_DN", ""), "SESSIOND_LDAP_CORP_BASE_DN", "missing"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_BASE_DN", "not a dn"), "SESSIOND_LDAP_CORP_BASE_DN", "not a dn"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_BIND_DN", "CN=svc"), "SESSIOND_LDAP_CORP_BIND_PASSWORD", "empty"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_BIND_PASSWORD", "secret"), "SESSIOND_LDAP_CORP_BIND_PASSWORD", "BIND_DN"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_ADMIN_GROUP", "admins"), "SESSIOND_LDAP_CORP_ADMIN_GROUP", "admins"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_ALIASES", "corp example"), "SESSIOND_LDAP_CORP_ALIASES", "corp example"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_CONNECT_TIMEOUT", "soon"), "SESSIOND_LDAP_CORP_CONNECT_TIMEOUT", "soon"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_RESPONSE_TIMEOUT", "0s"), "SESSIOND_LDAP_CORP_RESPONSE_TIMEOUT", "0s"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_TRUST_STORE", garbage.toString()),
                        "SESSIOND_LDAP_CORP_TRUST_STORE", "garbage.pem"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_TRUST_STORE", "/nonexistent/ca.pem"),
                        "SESSIOND_LDAP_CORP_TRUST_STORE", "/nonexistent/ca.pem"),
                arguments(with(CORP, "SESSIOND_LDAP_CORP_ADMIN_GRUOP", "CN=x"), "SESSIOND_LDAP_CORP_ADMIN_GRUOP", "not a setting"),
                arguments(with(CORP, "SESSIOND_LDAP_DOMAINS", "CORP,EU", "SESSIOND_LDAP_EU_URL", "ldaps://eu.example.com",
                        "SESSIOND_LDAP_EU_BASE_DN", "dc=eu", "SESSIOND_LDAP_EU_ALIASES", "corp"), "SESSIOND_LDAP_EU_ALIASES", "CORP"),
                arguments(Map.of("SESSIOND_KERBEROS_KEYTAB", missing), "SESSIOND_KERBEROS_KEYTAB", missing),
                arguments(Map.of("SESSIOND_KERBEROS_PRINCIPAL", "HTTP/x@X"), "SESSIOND_KERBEROS_KEYTAB", "missing"),
                arguments(Map.of("SESSIOND_KERBEROS_KEYTAB", keytab.toString()), "SESSIOND_KERBEROS_PRINCIPAL", "missing"),
                arguments(Map.of("SESSIOND_KERBEROS_KEYTAB", keytab.toString(), "SESSIOND_KERBEROS_PRINCIPAL", "HTTP/host"),
                        "SESSIOND_KERBEROS_PRINCIPAL", "HTTP/host"),
                arguments(Map.of("SESSIOND_KERBEROS_KEYTAB", keytab.toString(), "SESSIOND_KERBEROS_PRINCIPAL", "HTTP/h@R.TEST",
                        "SESSIOND_KERBEROS_REALMS", "R.TEST"), "SESSIOND_KERBEROS_REALMS", "R.TEST"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("badSettings")
    void badSetting_isOneLineNamingTheVariable(Map<String, String> env, String variable, String mentioned) {
        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(variable + ": ")
                .hasMessageContaining(mentioned)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void unknownDomainFlag_isRefusedNamingTheFlag() {
        assertThatThrownBy(() -> ConfigLoader.load(CORP, "--ldap-eu-url", "ldaps://eu.example.com"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--ldap-eu-url: unknown flag");
    }

    @Test
    void emptyDomainList_ignoresDomainSettings() {
        assertThat(load(Map.of("SESSIOND_LDAP_DOMAINS", " , ", "SESSIOND_LDAP_CORP_URL", "x")).ldapDomains()).isEmpty();
    }

    @Test
    void aDomainConfig_keepsItsBindPasswordOutOfItsText() {
        LdapDomainConfig corp = load(with(CORP, "SESSIOND_LDAP_CORP_BIND_DN", "CN=svc",
                "SESSIOND_LDAP_CORP_BIND_PASSWORD", "hunter2")).ldapDomains().getFirst();

        assertThat(corp.toString()).contains("CN=svc").doesNotContain("hunter2");
        assertThat(Optional.of(corp).map(LdapDomainConfig::bindPassword)).contains("hunter2");
    }
}
