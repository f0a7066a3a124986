package io.zmqtap.proxy;

/**
 * A snapshot of a proxy's counters.
 *
 * <p>Usage: {@code long replies = queue.statistics().frontend().messagesOut();}
 *
 * @param frontend traffic on the frontend (client side)
 * @param backend traffic on the backend (server side)
 * @param captured capture messages handed to the capture socket (a PUB with no subscriber
 *     discards them, as ZeroMQ does; use {@code awaitCaptureSubscriber} to wait for one)
 * @param captureDropped capture messages lost because the capture socket could not take them
 *     (a slow or stalled subscriber); the proxied message still went through
 * @param undeliverable proxied messages a ROUTER could not deliver because the peer they were
 *     addressed to had gone away
 */
public record ProxyStatistics(
        SocketStatistics frontend, SocketStatistics backend, long captured, long captureDropped, long undeliverable) {

    /** One line for people, e.g. {@code in 5 msgs (5 B), out 5 msgs (5 B), captured 10, capture dropped 0}. */
    public String summary() {
        return "in " + frontend.messagesIn() + " msgs (" + frontend.bytesIn() + " B), out "
                + backend.messagesIn() + " msgs (" + backend.bytesIn() + " B), captured " + captured
                + ", capture dropped " + captureDropped
                + (undeliverable > 0 ? ", undeliverable (peer gone) " + undeliverable : "");
    }
}
