package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The items of a paged list RPC (AIP-158), fetched page by page as iteration reaches them:
 * {@code page_token} and {@code next_page_token} never show. Each {@link #iterator()} starts
 * again from the first page. Fetching a page may throw {@link SessionException} from
 * {@code hasNext()}; a server that hands out a page token twice ends the iteration with an
 * {@link IllegalStateException} instead of looping for ever.
 *
 * <pre>{@code
 * for (User user : client.users().listUsers()) {
 *     System.out.println(user.getLogin());
 * }
 * }</pre>
 *
 * <p>Immutable; each iterator is for one thread.
 *
 * @param <T> the item type
 */
public final class Paged<T> implements Iterable<T> {

    /** One page: its items and the token of the next one, empty on the last page. */
    record Page<T>(List<T> items, String nextPageToken) {
        Page {
            requireNonNull(items, "items");
            requireNonNull(nextPageToken, "nextPageToken");
        }
    }

    private final String firstPageToken;
    private final Function<String, Page<T>> fetch;

    /**
     * @param firstPageToken the token of the first page to read; empty for the very first
     * @param fetch reads the page with the given token
     */
    Paged(String firstPageToken, Function<String, Page<T>> fetch) {
        this.firstPageToken = requireNonNull(firstPageToken, "firstPageToken");
        this.fetch = requireNonNull(fetch, "fetch");
    }

    @Override
    public Iterator<T> iterator() {
        return new PageIterator();
    }

    /** The items as a sequential, lazily fetching stream. */
    public Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
    }

    private final class PageIterator implements Iterator<T> {
        private final Set<String> tokensRead = new HashSet<>();
        private Iterator<T> items = List.<T>of().iterator();
        /** The token of the next page to read; null once the last page was read. */
        private String nextToken = firstPageToken;

        @Override
        public boolean hasNext() {
            while (!items.hasNext() && nextToken != null) {
                if (!tokensRead.add(nextToken)) {
                    throw new IllegalStateException("the server returned a page token it had returned before; "
                            + "stopping instead of reading the same pages again");
                }
                Page<T> page = fetch.apply(nextToken);
                items = page.items().iterator();
                nextToken = page.nextPageToken().isEmpty() ? null : page.nextPageToken();
            }
            return items.hasNext();
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return items.next();
        }
    }
}
