package dev.sessiond.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void write_nestsEscapesAndTurnsNaNIntoNull() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\"\nline");
        m.put("rate", 1234.5678);
        m.put("count", 3L);
        m.put("whole", 2.0);
        m.put("p99", Double.NaN);
        m.put("list", List.of(true, "x"));
        m.put("none", null);
        assertThat(Json.write(m)).isEqualTo("""
                {
                  "name": "a \\"quoted\\"\\nline",
                  "rate": 1234.568,
                  "count": 3,
                  "whole": 2,
                  "p99": null,
                  "list": [
                    true,
                    "x"
                  ],
                  "none": null
                }
                """);
    }
}
