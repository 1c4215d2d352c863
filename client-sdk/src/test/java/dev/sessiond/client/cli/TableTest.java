package dev.sessiond.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    private static String print(Table table) {
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text, true));
        return text.toString();
    }

    @Test
    void print_alignsColumnsToTheWidestCell() {
        Table table = new Table(List.of("CLIENT", "USER", "IDLE"))
                .add(List.of("WS-042", "alice", "00:00:05"))
                .add(List.of("TERMINAL-SERVER-1", "bob", "01:02:03"));

        assertThat(print(table).lines()).containsExactly(
                "CLIENT             USER   IDLE",
                "-----------------  -----  --------",
                "WS-042             alice  00:00:05",
                "TERMINAL-SERVER-1  bob    01:02:03");
    }

    @Test
    void add_keepsEachRowOnOneLine() {
        Table table = new Table(List.of("CLIENT", "USER")).add(List.of("evil\nhost\t1", "x"));

        assertThat(print(table).lines()).hasSize(3).last().isEqualTo("evil host 1  x");
    }
}
