package io.zmqtap.tap;

import io.zmqtap.curve.CurveBridge;
import io.zmqtap.curve.CurveException;
import io.zmqtap.curve.KeyPair;
import io.zmqtap.dissect.ConnectionDissector;
import io.zmqtap.event.NoticeEvent;
import java.util.Objects;

/**
 * What a decrypting tap needs for every connection: the server's long-term keys (so that clients
 * that pinned the server's public key complete their handshake with the tap), the keys the tap
 * shows the server as a client, the largest frame it will hold to open, and where its notices go.
 * Makes each connection's {@link CurveBridge} and words its failures.
 *
 * <p>Usage: {@code Decryption d = new Decryption(settings, notices); CurveBridge b = d.bridge();}
 */
final class Decryption {
    /** The keys and bound, as {@link WireTap.Builder#decrypt} got them. */
    record Settings(KeyPair server, KeyPair client, int maxFrame) {
        Settings {
            Objects.requireNonNull(server);
            Objects.requireNonNull(client);
        }
    }

    private final Settings settings;
    private final TapNotices notices;

    Decryption(Settings settings, TapNotices notices) {
        this.settings = settings;
        this.notices = notices;
    }

    /** A new connection's bridge (fresh short-term keys). */
    CurveBridge bridge() {
        return new CurveBridge(settings.server(), settings.client(), settings.maxFrame());
    }

    /** One notice for a connection the tap closed because of {@code e}. */
    void failed(ConnectionDissector d, CurveException e) {
        report(d, NoticeEvent.Level.WARNING, explain(e));
    }

    /** One notice: the server refused the tap's client key with {@code reason} (its ERROR, e.g. {@code 400}). */
    void refused(ConnectionDissector d, String reason) {
        report(d, NoticeEvent.Level.WARNING, "the server refused the tap's CURVE client key "
                + settings.client().publicKeyZ85() + " (ERROR " + reason + "); the client got the refusal");
    }

    private void report(ConnectionDissector d, NoticeEvent.Level level, String why) {
        notices.report(d.source(), d.conn(), level, "closed a CURVE connection: " + why,
                "closed the CURVE connection from " + d.client() + ": " + why);
    }

    /** The failure in the words of someone running the tap. */
    static String explain(CurveException e) {
        switch (e.kind()) {
            case WRONG_SERVER_KEY:
                return "the client's HELLO does not open with --decrypt's key: is it the server's secret certificate?";
            case WRONG_PEER_KEY:
                return "the upstream's WELCOME does not open: the upstream's CURVE key is not --decrypt's";
            default:
                return e.getMessage();
        }
    }
}
