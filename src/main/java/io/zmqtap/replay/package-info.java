/**
 * Replay: a recording's client side sent again to a server, each new reply compared with the
 * recorded one ({@code zmqtap replay}, {@code docs/replay.md}).
 *
 * <p>{@link io.zmqtap.replay.ReplayPlan} (no I/O) picks the requests out of recorded events, one
 * {@link io.zmqtap.replay.Conversation} per client, each paired with its recorded reply;
 * {@link io.zmqtap.replay.ReplyDiff} (no I/O) compares two replies; {@link io.zmqtap.replay.Replayer}
 * owns the sockets and the clock.
 *
 * <p>Imports {@code io.zmqtap.event} and {@code io.zmqtap.endpoint} only (a source: no sink, no CLI).
 */
package io.zmqtap.replay;
