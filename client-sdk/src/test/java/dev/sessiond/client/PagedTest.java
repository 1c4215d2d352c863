package dev.sessiond.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PagedTest {

    /** Pages by token: "" is the first page; each names the next one. */
    private final Map<String, Paged.Page<String>> pages = Map.of(
            "", new Paged.Page<>(List.of("a", "b"), "p2"),
            "p2", new Paged.Page<>(List.of(), "p3"),
            "p3", new Paged.Page<>(List.of("c"), ""));
    private final List<String> fetched = new ArrayList<>();

    private Paged<String> paged(String firstToken) {
        return new Paged<>(firstToken, token -> {
            fetched.add(token);
            return pages.get(token);
        });
    }

    @Test
    void iterates_everyItemOfEveryPage_passingOverEmptyPages() {
        assertThat(paged("")).containsExactly("a", "b", "c");
        assertThat(fetched).containsExactly("", "p2", "p3");
    }

    @Test
    void fetches_aPageOnlyWhenIterationReachesIt() {
        Paged<String> paged = paged("");
        assertThat(fetched).isEmpty();

        Iterator<String> items = paged.iterator();
        assertThat(items.next()).isEqualTo("a");
        assertThat(items.next()).isEqualTo("b");
        assertThat(fetched).containsExactly("");

        assertThat(items.next()).isEqualTo("c");
        assertThat(items.hasNext()).isFalse();
        assertThat(fetched).containsExactly("", "p2", "p3");
    }

    @Test
    void startsFrom_theRequestsPageToken() {
        assertThat(paged("p3")).containsExactly("c");
    }

    @Test
    void eachIterator_startsAgainFromTheFirstPage() {
        Paged<String> paged = paged("");

        assertThat(paged.stream().toList()).containsExactly("a", "b", "c");
        assertThat(paged.stream().toList()).containsExactly("a", "b", "c");
    }

    @Test
    void stream_isLazy() {
        assertThat(paged("").stream().findFirst()).contains("a");
        assertThat(fetched).containsExactly("");
    }

    @Test
    void stops_whenTheServerRepeatsAPageToken() {
        Paged<String> looping = new Paged<>("", token -> new Paged.Page<>(List.of(token + "x"), "again"));

        Iterator<String> items = looping.iterator();
        assertThat(items.next()).isEqualTo("x");
        assertThat(items.next()).isEqualTo("againx");
        assertThatThrownBy(items::hasNext)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("page token");
    }

    @Test
    void next_throwsAtTheEnd() {
        Iterator<String> items = new Paged<String>("", token -> new Paged.Page<>(List.of(), "")).iterator();

        assertThat(items.hasNext()).isFalse();
        assertThatThrownBy(items::next).isInstanceOf(java.util.NoSuchElementException.class);
    }
}
