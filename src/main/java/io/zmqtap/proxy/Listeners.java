package io.zmqtap.proxy;

import io.zmqtap.ZmqTapException;
import io.zmqtap.endpoint.Notices;
import io.zmqtap.event.NoticeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everyone a proxy tells about its traffic: its capture feed first (when it has one), then the
 * builder's {@link ForwardListener}s; and its notices, to the builder's notice consumer and, as
 * {@link NoticeEvent}s, to the listeners. A listener that throws is removed with a notice, so a
 * bug in one cannot stop the proxy.
 *
 * <p>Set up while the proxy is assembled: {@code Listeners l = new Listeners(b.listeners, b.notices);
 * Notices n = new Notices(l); l.reportTo(n); ... l.capture(capture); l.source(name);} then the
 * engine calls {@link #forwarding()}'s listener per message (none at all when it is null).
 */
final class Listeners implements ForwardListener, Consumer<String> {
    private final Consumer<String> lines;
    private volatile ForwardListener[] users;
    private Capture capture;
    private Notices notices;
    private volatile String source = "proxy";

    Listeners(List<ForwardListener> users, Consumer<String> lines) {
        this.users = users.toArray(new ForwardListener[0]);
        this.lines = lines;
    }

    /** Where a failing listener is reported. */
    void reportTo(Notices notices) {
        this.notices = notices;
    }

    /** The capture feed, called before the other listeners; none without. */
    void capture(Capture capture) {
        this.capture = capture.enabled() ? capture : null;
    }

    /** The name notices carry as their source (the frontend endpoint once bound). */
    void source(String source) {
        this.source = source;
    }

    /** What the engine calls per forwarded message: nobody (null), the capture alone, or all of them. */
    ForwardListener forwarding() {
        if (users.length == 0) {
            return capture;
        }
        return this;
    }

    @Override
    public void forwarded(ForwardedMessage message) {
        if (capture != null) {
            capture.forwarded(message);
        }
        for (ForwardListener l : users) {
            try {
                l.forwarded(message);
            } catch (RuntimeException e) {
                remove(l, e);
            }
        }
    }

    /** A notice line: to the builder's consumer, and as an event to every listener. */
    @Override
    public void accept(String line) {
        lines.accept(line);
        ForwardListener[] now = users;
        if (now.length == 0) {
            return;
        }
        NoticeEvent event = new NoticeEvent(Instant.now(), source, NoticeEvent.Level.WARNING, line);
        for (ForwardListener l : now) {
            try {
                l.notice(event);
            } catch (RuntimeException e) {
                remove(l, e);
            }
        }
    }

    private void remove(ForwardListener failed, RuntimeException e) {
        synchronized (this) {
            List<ForwardListener> rest = new ArrayList<>(Arrays.asList(users));
            if (!rest.remove(failed)) {
                return; // removed already (it failed on two threads at once)
            }
            users = rest.toArray(new ForwardListener[0]);
        }
        if (notices != null) {
            notices.report("a listener failed", "listener " + failed + " failed and was removed: "
                    + ZmqTapException.oneLine(e));
        }
    }
}
