package io.zmqtap.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * A daemon thread that owns one socket and handles what it receives until closed: the shape of
 * the bench's echo server and capture counter.
 *
 * <p>The socket's receive timeout bounds how long {@link #close()} waits for the loop to notice.
 *
 * <p>Usage: {@code class Echo extends SocketLoop { protected void turn() { Msg m = socket.recvMsg(0); ... } }}
 */
abstract class SocketLoop implements AutoCloseable {
    private static final long STOP_SECONDS = 5;

    protected final ZMQ.Socket socket;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    /** @param socket configured with a receive timeout, bound or connected */
    SocketLoop(ZMQ.Socket socket, String threadName) {
        this.socket = socket;
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts the thread; the socket belongs to it from now on. */
    final void startThread() {
        thread.start();
    }

    /** One receive (returning on timeout) and whatever it calls for. */
    protected abstract void turn();

    private void loop() {
        try {
            while (running) {
                turn();
            }
        } catch (ZMQException e) {
            // context closed under us: nothing left to do
        } finally {
            socket.close();
            stopped.countDown();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            if (!stopped.await(STOP_SECONDS, TimeUnit.SECONDS)) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
