/**
 * Capture files as a source: the file I/O around {@link io.zmqtap.capture.CaptureDecoder} (which
 * parses), reading one or more recordings in order into a consumer of events, and telling the live
 * end of a file still being written from a writer that died.
 *
 * <p>Imports {@code io.zmqtap.capture} and {@code io.zmqtap.event} only.
 */
package io.zmqtap.record;
