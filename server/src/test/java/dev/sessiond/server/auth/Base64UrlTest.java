package dev.sessiond.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64UrlTest {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    @Test
    void decodesWhatTheJdkEncoderWrites_forEveryLengthUpTo100() {
        Random random = new Random(42);
        for (int length = 0; length <= 100; length++) {
            byte[] original = new byte[length];
            random.nextBytes(original);
            byte[] text = ascii("xx" + ENCODER.encodeToString(original) + "yy");
            byte[] decoded = new byte[length + 7];

            int n = Base64Url.decode(text, 2, text.length - 2, decoded);

            assertThat(n).as("bytes decoded from %d", length).isEqualTo(length);
            assertThat(Arrays.copyOf(decoded, n)).isEqualTo(original);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AAAA=", "AA==", "AA.A", "A+AA", "A/AA", "AAAA A", "A", "AAAAA", "Ã©AA"})
    void refusesWhatIsNotUnpaddedBase64url(String text) {
        assertThat(Base64Url.decode(ascii(text), 0, text.length(), new byte[16])).isEqualTo(Base64Url.INVALID);
    }

    @Test
    void refusesNonAsciiBytes() {
        byte[] text = {'A', (byte) 0xC3, 'A', 'A'};

        assertThat(Base64Url.decode(text, 0, text.length, new byte[16])).isEqualTo(Base64Url.INVALID);
    }

    @Test
    void refusesEncodingsWhoseUnusedBitsAreSet() {
        // One byte takes two characters, 12 bits for 8: "AA" is the only canonical encoding of 0x00.
        assertThat(Base64Url.decode(ascii("AA"), 0, 2, new byte[4])).isEqualTo(1);
        assertThat(Base64Url.decode(ascii("AB"), 0, 2, new byte[4])).isEqualTo(Base64Url.NOT_CANONICAL);
        assertThat(Base64Url.decode(ascii("AAB"), 0, 3, new byte[4])).isEqualTo(Base64Url.NOT_CANONICAL);
        assertThat(Base64Url.decode(ascii("AAE"), 0, 3, new byte[4])).isEqualTo(2);
    }

    @Test
    void saysWhenTheDestinationIsTooSmall_withoutWritingPastIt() {
        byte[] dst = new byte[3];
        String text = ENCODER.encodeToString(new byte[] {1, 2, 3, 4});

        assertThat(Base64Url.decode(ascii(text), 0, text.length(), dst)).isEqualTo(Base64Url.TOO_LONG);
        assertThat(Base64Url.decode(ascii(text + "!"), 0, text.length() + 1, dst)).isEqualTo(Base64Url.INVALID);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
