package io.zmqtap.security;

import io.zmqtap.BadValueException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.zeromq.ZCert;
import org.zeromq.ZMQ;

/**
 * The security mechanism one ZeroMQ socket speaks, as a server (it accepts CURVE or PLAIN clients)
 * or as a client; {@link #apply} sets the socket's options before it binds or connects. NULL (no
 * security) is the absence of one of these.
 *
 * <pre>{@code
 * SocketSecurity served = SocketSecurity.curveServer(Certificates.loadSecret(Path.of("server_secret")));
 * SocketSecurity client = SocketSecurity.curveClient(Certificates.loadPublic(Path.of("server")),
 *         Certificates.loadSecret(Path.of("client_secret")));
 * SocketSecurity plain = SocketSecurity.plainClient("alice:secret");
 * client.apply(socket, null);
 * }</pre>
 */
public final class SocketSecurity {
    /** CURVE or PLAIN, as ZeroMQ names them. */
    public enum Mechanism { CURVE, PLAIN }

    private final Mechanism mechanism;
    private final boolean server;
    private final ZCert own;
    private final byte[] serverKey;
    private final String username;
    private final String password;

    private SocketSecurity(Mechanism mechanism, boolean server, ZCert own, byte[] serverKey, String username,
                           String password) {
        this.mechanism = mechanism;
        this.server = server;
        this.own = own;
        this.serverKey = serverKey;
        this.username = username;
        this.password = password;
    }

    /** Serves CURVE with this secret certificate; which clients may connect is the ZAP handler's business. */
    public static SocketSecurity curveServer(ZCert serverSecret) {
        requireSecret(serverSecret);
        return new SocketSecurity(Mechanism.CURVE, true, serverSecret, null, null, null);
    }

    /** Connects with CURVE to the server whose public certificate this is, as the client {@code clientSecret}. */
    public static SocketSecurity curveClient(ZCert serverPublic, ZCert clientSecret) {
        requireSecret(clientSecret);
        return new SocketSecurity(Mechanism.CURVE, false, clientSecret, serverPublic.getPublicKey().clone(), null,
                null);
    }

    /** Serves PLAIN: user names and passwords are checked by the ZAP handler. */
    public static SocketSecurity plainServer() {
        return new SocketSecurity(Mechanism.PLAIN, true, null, null, null, null);
    }

    /** Connects with PLAIN as {@code USER:PASSWORD} (the password may contain colons). */
    public static SocketSecurity plainClient(String userColonPassword) {
        int colon = userColonPassword.indexOf(':');
        if (colon <= 0) {
            // the value is not echoed: it may be a password
            throw new BadValueException("bad PLAIN credentials: expected USER:PASSWORD");
        }
        return new SocketSecurity(Mechanism.PLAIN, false, null, null, userColonPassword.substring(0, colon),
                userColonPassword.substring(colon + 1));
    }

    /**
     * Connects with PLAIN as {@code username} with {@code password} (read elsewhere than the command
     * line, e.g. from the environment).
     *
     * <p>Usage: {@code SocketSecurity.plainClient("alice", System.getenv("ZMQTAP_PLAIN_PASSWORD"))}
     */
    public static SocketSecurity plainClient(String username, String password) {
        if (username.isEmpty()) {
            throw new BadValueException("bad PLAIN credentials: the user name is empty");
        }
        return new SocketSecurity(Mechanism.PLAIN, false, null, null, username, password);
    }

    private static void requireSecret(ZCert cert) {
        if (Objects.requireNonNull(cert).getSecretKey() == null) {
            throw new BadValueException("a CURVE certificate without its secret key cannot identify this side");
        }
    }

    public Mechanism mechanism() {
        return mechanism;
    }

    /** True when the socket accepts clients of this mechanism. */
    public boolean server() {
        return server;
    }

    /** The PLAIN client's user name, or null. */
    public String username() {
        return username;
    }

    /** This side's public key (Z85), or null for PLAIN. */
    public String publicKey() {
        return own == null ? null : own.getPublicKeyAsZ85();
    }

    /**
     * Sets the socket's security options; a server socket also gets {@code zapDomain} (when not
     * null), so the ZAP handler knows which socket a client knocked at.
     */
    public void apply(ZMQ.Socket socket, String zapDomain) {
        if (mechanism == Mechanism.CURVE) {
            socket.setCurvePublicKey(own.getPublicKey());
            socket.setCurveSecretKey(own.getSecretKey());
            if (server) {
                socket.setCurveServer(true);
            } else {
                socket.setCurveServerKey(serverKey);
            }
        } else if (server) {
            socket.setPlainServer(true);
        } else {
            socket.setPlainUsername(username.getBytes(StandardCharsets.UTF_8));
            socket.setPlainPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        if (server && zapDomain != null) {
            socket.setZAPDomain(zapDomain.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** E.g. {@code CURVE server} or {@code PLAIN client alice}. */
    @Override
    public String toString() {
        return mechanism + (server ? " server" : " client") + (username != null ? " " + username : "");
    }
}
