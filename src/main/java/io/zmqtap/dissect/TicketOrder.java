package io.zmqtap.dissect;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Puts the event batches of one connection back in ticket order: a batch whose ticket comes before
 * some still missing waits (copied) until they are in. Not thread-safe: its owner locks.
 *
 * <p>Usage: {@code order.add(ticket, batch, this::publish); ... order.flush(this::publish);}
 */
final class TicketOrder {
    /** Batches that came before their turn; null until one does (most connections never see one, and each chunk asked it). */
    private Map<Long, Batch> early;
    private long next;

    /** Releases {@code batch} now if it is its turn (and then the waiting ones whose turn came), else keeps a copy. */
    void add(long ticket, Batch batch, Consumer<Batch> release) {
        if (ticket == next && (early == null || early.isEmpty())) {
            release.accept(batch); // in order, nothing waiting: the common case, without boxing a ticket
            next++;
            return;
        }
        if (ticket != next) {
            if (early == null) {
                early = new HashMap<>();
            }
            early.put(ticket, batch.copy()); // the caller reuses its list
            return;
        }
        release.accept(batch);
        next++;
        for (Batch waiting; (waiting = early.remove(next)) != null; next++) {
            release.accept(waiting);
        }
    }

    /** Releases every waiting batch in ticket order, skipping the tickets that never came. */
    void flush(Consumer<Batch> release) {
        if (early != null) {
            early.keySet().stream().sorted().forEach(t -> release.accept(early.get(t)));
            early.clear();
        }
    }
}
