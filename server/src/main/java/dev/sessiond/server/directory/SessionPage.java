package dev.sessiond.server.directory;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One page of an enumeration.
 *
 * @param entries the page's sessions, in (create time, id) order
 * @param nextPageToken the token for the next page; empty on the last page
 * @param totalSize how many sessions matched the filter when the walk's first page was read
 */
public record SessionPage(List<SessionEntry> entries, String nextPageToken, int totalSize) {

    public SessionPage {
        entries = List.copyOf(requireNonNull(entries, "entries"));
        requireNonNull(nextPageToken, "nextPageToken");
        if (totalSize < 0) {
            throw new IllegalArgumentException("totalSize: " + totalSize + " (expected: >= 0)");
        }
    }
}
