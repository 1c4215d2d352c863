package dev.sessiond.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scrape of /metrics, parsed: each sample line's series (name and labels, as written) and
 * its value.
 */
public record Scrape(String text, Map<String, Double> samples) {

    public static Scrape of(int metricsPort) {
        Http.Response response = Http.get(metricsPort, "/metrics");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : response.body().lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new Scrape(response.body(), samples);
    }

    /** The value of {@code series} (e.g. {@code sessiond_session_opens_total{result="ok"}}); fails if absent. */
    public double value(String series) {
        assertThat(samples).as("series scraped").containsKey(series);
        return samples.get(series);
    }

    /** How much {@code series} grew since {@code before} (absent before counts as 0). */
    public double since(Scrape before, String series) {
        return value(series) - before.samples.getOrDefault(series, 0.0);
    }
}
