package io.zmqtap.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.ZmqTapException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetAddressTest {
    @TempDir
    Path dir;

    @Test
    void tcpListensOnAFreePortAndSaysWhichItGot() throws Exception {
        NetAddress a = NetAddress.parse("frontend", "@tcp://127.0.0.1:*", true);
        try (ServerSocketChannel s = a.listen(NetAddress.DEFAULT_BACKLOG)) {
            assertThat(a.bound(s)).matches("tcp://127\\.0\\.0\\.1:\\d+").isNotEqualTo("tcp://127.0.0.1:0");
        }
    }

    @Test
    void connectingToHostStarOrPortZeroIsAOneLineError() {
        assertThatThrownBy(() -> NetAddress.parse("--upstream", "tcp://*:5555", false))
                .isInstanceOf(ZmqTapException.class)
                .hasMessage("bad endpoint 'tcp://*:5555' for --upstream: cannot connect to host * (name the host, e.g. tcp://127.0.0.1:5555)");
        assertThatThrownBy(() -> NetAddress.parse("--upstream", "tcp://127.0.0.1:0", false))
                .hasMessage("bad endpoint 'tcp://127.0.0.1:0' for --upstream: needs a port from 1 to 65535");
        assertThatThrownBy(() -> NetAddress.parse("frontend", "inproc://x", true))
                .hasMessageContaining("over tcp:// and ipc:// only");
    }

    @Test
    void ipcIsARealUnixSocketThatReplacesAStaleFileButNotALiveOne() throws Exception {
        Path path = dir.resolve("q.sock");
        NetAddress a = NetAddress.parse("frontend", "ipc://" + path, true);
        assertThat(a.toString()).isEqualTo("ipc://" + path);
        ServerSocketChannel first = a.listen(16);
        assertThat(Files.exists(path)).isTrue();
        try (SocketChannel c = NetAddress.parse("backend", "ipc://" + path, false).openChannel();
             ServerSocketChannel s = first) {
            c.connect(a.socketAddress());
            try (SocketChannel accepted = s.accept()) {
                c.write(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer b = ByteBuffer.allocate(1);
                accepted.read(b);
                assertThat(b.get(0)).isEqualTo((byte) 42);
                assertThat(NetAddress.describePeer(accepted)).isEqualTo("ipc peer on " + path);
            }
            assertThatThrownBy(() -> a.listen(16)).hasMessage("cannot listen on ipc://" + path + ": address already in use");
        }
        // the first listener closed without removing its file: a stale socket is replaced
        try (ServerSocketChannel again = a.listen(16)) {
            assertThat(again.isOpen()).isTrue();
        }
        a.unlisten();
        assertThat(Files.exists(path)).isFalse();
    }

    @Test
    void ipcRefusesAFileThatIsNotASocketAndAbstractNames() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "keep me");
        assertThatThrownBy(() -> NetAddress.parse("frontend", "ipc://" + file, true).listen(16))
                .hasMessage("cannot listen on ipc://" + file + ": " + file + " exists and is not a socket");
        assertThat(Files.readString(file)).isEqualTo("keep me");
        assertThatThrownBy(() -> NetAddress.parse("frontend", "ipc://@name", true))
                .hasMessageContaining("abstract ipc names");
    }

    @Test
    void ipcStarIsAFreshPath() {
        NetAddress a = NetAddress.parse("capture", "ipc://*", true);
        try (ServerSocketChannel s = a.listen(16)) {
            assertThat(a.bound(s)).startsWith("ipc://").endsWith("/socket");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } finally {
            a.unlisten();
        }
    }
}
