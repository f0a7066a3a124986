package io.zmqtap.zmtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-connection TCP relay on 127.0.0.1 that forwards both directions to a target port and
 * records the bytes each way, so tests can decode what real ZeroMQ peers put on the wire.
 */
final class RecordingRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final ByteArrayOutputStream clientToServer = new ByteArrayOutputStream();
    private final ByteArrayOutputStream serverToClient = new ByteArrayOutputStream();
    private final CountDownLatch pumpsDone = new CountDownLatch(2);
    private final Thread acceptor;
    private volatile Socket client;
    private volatile Socket upstream;

    RecordingRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        try {
            client = server.accept();
            upstream = new Socket();
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
            pump(client.getInputStream(), upstream, clientToServer, "relay-in");
            pump(upstream.getInputStream(), client, serverToClient, "relay-out");
        } catch (IOException e) {
            pumpsDone.countDown();
            pumpsDone.countDown();
        }
    }

    private void pump(InputStream in, Socket to, ByteArrayOutputStream record, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (record) {
                        record.write(buf, 0, n);
                    }
                    out.write(buf, 0, n);
                }
                to.shutdownOutput(); // pass the close on, so the other side ends too
            } catch (IOException e) {
                // the other side closed first: nothing left to record
            } finally {
                pumpsDone.countDown();
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** Waits until both directions reached end of stream (both peers closed). */
    boolean awaitClosed(long seconds) throws InterruptedException {
        return pumpsDone.await(seconds, TimeUnit.SECONDS);
    }

    byte[] clientToServer() {
        synchronized (clientToServer) {
            return clientToServer.toByteArray();
        }
    }

    byte[] serverToClient() {
        synchronized (serverToClient) {
            return serverToClient.toByteArray();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : new Socket[] {client, upstream}) {
            if (s != null) {
                s.close();
            }
        }
    }
}
