/**
 * The zmqtap capture file format (a recording of events, {@code docs/capture-format.md}), both ways
 * and with no I/O: what the writer ({@code io.zmqtap.sink.CaptureFileSink}) and the reader
 * ({@code io.zmqtap.record}) share, so that a sink never imports a source.
 *
 * <pre>{@code
 * CaptureEncoder enc = new CaptureEncoder(CaptureHeader.now("zmqtap 1.0", "tap"));
 * enc.event(e); enc.flush(); channel.write(enc.output()); enc.clearOutput();
 * CaptureDecoder dec = new CaptureDecoder(listener);
 * dec.feed(bytes, 0, n); ... dec.tail();
 * }</pre>
 *
 * <p>Imports only {@code io.zmqtap.event}.
 */
package io.zmqtap.capture;
