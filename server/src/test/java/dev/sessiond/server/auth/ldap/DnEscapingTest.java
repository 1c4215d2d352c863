package dev.sessiond.server.auth.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.RDN;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** User names become one RDN value, whatever they contain (RFC 4514 §2.4). */
class DnEscapingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "alice|alice",
        "a,b|a\\,b",
        "a+b=c|a\\+b\\=c",
        "'\"q\"'|'\\\"q\\\"'",
        "<x>;|\\<x\\>\\;",
        "back\\slash|back\\\\slash",
        "'#hash'|'\\#hash'",
        "'mid#hash'|'mid#hash'",
        "' lead'|'\\ lead'",
        "'trail '|'trail\\ '",
    })
    void escapeDnValue_escapesWhatRfc4514Requires(String value, String escaped) {
        assertThat(LdapDirectory.escapeDnValue(value)).isEqualTo(escaped);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice,ou=admins", "x+cn=y", "#41", " a ", "a\\,b", "\"", "nul\0char", "ü,ñ"})
    void escapedValue_parsesBackAsOneRdnWithTheSameValue(String value) throws Exception {
        DN dn = new DN("uid=" + LdapDirectory.escapeDnValue(value) + ",ou=people,dc=example,dc=test");

        RDN first = dn.getRDN();
        assertThat(dn.getRDNs()).hasSize(4);
        assertThat(first.getAttributeNames()).containsExactly("uid");
        assertThat(first.getAttributeValues()).containsExactly(value);
    }
}
