package dev.sessiond.server.user;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param items the page's items
 * @param nextAfter the key to continue after; empty on the last page
 */
public record Page<T>(List<T> items, Optional<String> nextAfter) {
    public Page {
        items = List.copyOf(requireNonNull(items, "items"));
        requireNonNull(nextAfter, "nextAfter");
    }
}
