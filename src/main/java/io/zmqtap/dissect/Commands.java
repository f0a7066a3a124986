package io.zmqtap.dissect;

import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.zmtp.ZmtpCommand;
import java.time.Instant;
import java.util.Locale;

/**
 * Describes a decoded ZMTP command as a {@link CommandEvent}: topic for subscriptions, the rest in
 * words. Secrets never get here (the decoder masks PLAIN passwords); CURVE commands are named
 * as encrypted.
 *
 * <p>Usage: {@code Commands.event(Instant.now(), "tcp://127.0.0.1:4444", "c1", Direction.IN, new ZmtpCommand.Subscribe(topic, false))}
 */
final class Commands {
    private Commands() {}

    static CommandEvent event(Instant time, String source, String conn, Direction direction, ZmtpCommand c) {
        Frame topic = null;
        String detail;
        if (c instanceof ZmtpCommand.Subscribe s) {
            topic = Frame.of(s.topic());
            detail = s.viaDataFrame() ? "(ZMTP 3.0 data frame)" : "";
        } else if (c instanceof ZmtpCommand.Cancel s) {
            topic = Frame.of(s.topic());
            detail = s.viaDataFrame() ? "(ZMTP 3.0 data frame)" : "";
        } else if (c instanceof ZmtpCommand.Ping p) {
            detail = String.format(Locale.ROOT, "ttl %.1f s  context %s", p.ttl() / 10.0, text(p.context()));
        } else if (c instanceof ZmtpCommand.Pong p) {
            detail = "context " + text(p.context());
        } else if (c instanceof ZmtpCommand.Error e) {
            detail = "reason \"" + e.reason() + "\"";
        } else if (c instanceof ZmtpCommand.Hello h) {
            detail = "username \"" + h.username() + "\"  password " + ZmtpCommand.Hello.MASK;
        } else if (c instanceof ZmtpCommand.CurveCommand k) {
            detail = "CURVE, encrypted, " + k.size() + " B";
        } else if (c instanceof ZmtpCommand.Unknown u) {
            detail = "unknown command, " + u.size() + " B";
        } else {
            detail = "";
        }
        return new CommandEvent(time, source, conn, direction, c.name(), topic, detail);
    }

    private static String text(byte[] bytes) {
        return Frame.of(bytes).toString();
    }
}
