package dev.sessiond.server.auth.kerberos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Framing a bare Kerberos AP-REQ as the GSS-API initial context token the JDK accepts. */
class GssTokensTest {

    /** The Kerberos V5 mechanism OID (DER), then TOK_ID 01 00 (AP-REQ). */
    private static final String KRB5_OID_AND_TOK_ID = "06092a864886f712010202" + "0100";

    @Test
    void framedTokens_passUnchanged() {
        byte[] spnego = {0x60, 0x03, 0x06, 0x01, 0x00};
        byte[] garbage = {0x01, 0x02};

        assertThat(GssTokens.framed(spnego)).isSameAs(spnego);
        assertThat(GssTokens.framed(garbage)).isSameAs(garbage);
        assertThat(GssTokens.framed(new byte[0])).isEmpty();
    }

    @Test
    void shortApReq_getsAShortFormLength() {
        byte[] apReq = apReq(10);

        byte[] framed = GssTokens.framed(apReq);

        assertThat(HexFormat.of().formatHex(framed, 0, 15)).isEqualTo("6017" + KRB5_OID_AND_TOK_ID);
        assertThat(framed[1]).as("length of OID + TOK_ID + AP-REQ").isEqualTo((byte) (11 + 2 + 10));
        assertThat(Arrays.copyOfRange(framed, 15, framed.length)).isEqualTo(apReq);
    }

    @Test
    void longApReq_getsALongFormLength() {
        byte[] apReq = apReq(1500);

        byte[] framed = GssTokens.framed(apReq);

        int inner = 11 + 2 + 1500;
        assertThat(HexFormat.of().formatHex(framed, 0, 4)).isEqualTo("6082" + String.format("%04x", inner));
        assertThat(Arrays.copyOfRange(framed, 4, 17)).isEqualTo(HexFormat.of().parseHex(KRB5_OID_AND_TOK_ID));
        assertThat(Arrays.copyOfRange(framed, 17, framed.length)).isEqualTo(apReq);
    }

    private static byte[] apReq(int length) {
        byte[] token = new byte[length];
        Arrays.fill(token, (byte) 0x42);
        token[0] = 0x6e;
        return token;
    }
}
