package dev.sessiond.server.auth.kerberos;

import java.io.ByteArrayOutputStream;

/**
 * GSS-API token framing (RFC 2743 §3.1). Clients send either a SPNEGO token or a Kerberos
 * token, both framed as {@code [APPLICATION 0]} with the mechanism's OID; some send the bare
 * Kerberos AP-REQ ({@code [APPLICATION 14]}). The JDK accepts only framed tokens, so a bare
 * AP-REQ is framed here as the Kerberos mechanism's initial token (RFC 4121 §4.1).
 */
final class GssTokens {

    private static final int FRAMED = 0x60;
    private static final int AP_REQ = 0x6e;
    /** DER of OID 1.2.840.113554.1.2.2 (Kerberos V5). */
    private static final byte[] KRB5_OID =
            {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x12, 0x01, 0x02, 0x02};
    /** TOK_ID of an AP-REQ inside a Kerberos GSS token. */
    private static final byte[] TOK_ID_AP_REQ = {0x01, 0x00};

    private GssTokens() {}

    /** {@code token} as the JDK's acceptor wants it: framed tokens unchanged, a bare AP-REQ framed. */
    static byte[] framed(byte[] token) {
        if (token.length == 0 || (token[0] & 0xff) != AP_REQ) {
            return token;
        }
        int innerLength = KRB5_OID.length + TOK_ID_AP_REQ.length + token.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(innerLength + 8);
        out.write(FRAMED);
        writeLength(out, innerLength);
        out.writeBytes(KRB5_OID);
        out.writeBytes(TOK_ID_AP_REQ);
        out.writeBytes(token);
        return out.toByteArray();
    }

    /** A DER length: short form below 128, else long form. */
    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((length >>> (8 * i)) & 0xff);
        }
    }
}
