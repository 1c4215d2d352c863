package dev.sessiond.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditLogTest {

    private static final int NO_LIMIT = Integer.MAX_VALUE;

    @ParameterizedTest(name = "U+{0}")
    @CsvSource({
        "000a, \\u000a", // line feed
        "000d, \\u000d", // carriage return
        "0000, \\u0000", // NUL
        "0009, \\u0009", // tab
        "001b, \\u001b", // escape (terminal control sequences)
        "007f, \\u007f", // delete
        "0085, \\u0085", // next line
        "2028, \\u2028", // line separator
        "2029, \\u2029", // paragraph separator
    })
    void escape_turnsControlCharactersIntoUnicodeEscapes(String codePoint, String escaped) {
        char c = (char) Integer.parseInt(codePoint, 16);

        assertThat(AuditLog.escape("before" + c + "after", NO_LIMIT))
                .isEqualToIgnoringCase("before" + escaped + "after");
    }

    @Test
    void escape_leavesNoLineBreakInAForgedLogLine() {
        String forged = "bob\r\n2025-01-01 OPENED admin\u2028";

        assertThat(AuditLog.escape(forged, NO_LIMIT))
                .doesNotContain("\n", "\r", "\u2028")
                .isEqualToIgnoringCase("bob\\u000d\\u000a2025-01-01 OPENED admin\\u2028");
    }

    @Test
    void escape_doublesBackslashes() {
        assertThat(AuditLog.escape("DOMAIN\\user", NO_LIMIT)).isEqualTo("DOMAIN\\\\user");
        // A caller cannot forge an escape: its backslash is doubled, so it reads back as text.
        assertThat(AuditLog.escape("\\u000a", NO_LIMIT)).isEqualTo("\\\\u000a");
    }

    @Test
    void escape_leavesPrintableTextUnchanged() {
        String text = "Иван O'Brien <ivan@example.com> 漢字 😀 \"quoted\" 100%";

        assertThat(AuditLog.escape(text, NO_LIMIT)).isEqualTo(text);
    }

    @Test
    void escape_cutsTextToTheMaximum() {
        assertThat(AuditLog.escape("x".repeat(5_000), 1024)).isEqualTo("x".repeat(1024));
        assertThat(AuditLog.escape("x".repeat(1024), 1024)).isEqualTo("x".repeat(1024));
        assertThat(AuditLog.escape("short", 1024)).isEqualTo("short");
        assertThat(AuditLog.escape("", 10)).isEmpty();
    }

    @Test
    void escape_countsEscapesTowardsTheMaximum() {
        String escaped = AuditLog.escape("\n".repeat(100), 60);

        assertThat(escaped).hasSizeLessThanOrEqualTo(60);
        assertThat(escaped).isEqualToIgnoringCase("\\u000a".repeat(10));
    }

    @Test
    void escape_neverCutsAnEscapeSequenceInHalf() {
        assertThat(AuditLog.escape("abcd\n", 6)).isEqualTo("abcd");
        assertThat(AuditLog.escape("abcd\n", 10)).isEqualToIgnoringCase("abcd\\u000a");
        assertThat(AuditLog.escape("abcd\\", 5)).isEqualTo("abcd");
        assertThat(AuditLog.escape("abcd\\", 6)).isEqualTo("abcd\\\\");
    }

    @Test
    void escape_neverCutsASurrogatePairInHalf() {
        assertThat(AuditLog.escape("abcd\uD83D\uDE00", 5)).isEqualTo("abcd");
        assertThat(AuditLog.escape("abcd\uD83D\uDE00", 6)).isEqualTo("abcd\uD83D\uDE00");
    }
}
