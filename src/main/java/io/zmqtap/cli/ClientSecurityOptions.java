package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.security.Certificates;
import io.zmqtap.security.SocketSecurity;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How {@code watch}, {@code ctl} and {@code example client} connect to a socket that serves CURVE
 * ({@code --curve SERVER_PUBLIC_CERT --cert CLIENT_SECRET_CERT}) or PLAIN ({@code --plain
 * USER[:PASSWORD]}, see {@link PlainCredentials}); neither is NULL, as before.
 */
public final class ClientSecurityOptions {
    @Option(names = "--curve", paramLabel = "SERVER_PUBLIC_CERT",
            description = "Connect with CURVE to the server whose public certificate this is (CZMQ format, e.g. "
                    + "made by zmqtap keygen); with --cert.")
    Path curve;

    @Option(names = "--cert", paramLabel = "CLIENT_SECRET_CERT",
            description = "This client's secret certificate (NAME_secret, mode 0600), with --curve; the server must "
                    + "allow its public certificate (--allow).")
    Path cert;

    @Option(names = "--plain", paramLabel = "USER[:PASSWORD]",
            description = "Connect with PLAIN as this user (sent in clear text: for trusted networks only). With USER "
                    + "alone the password comes from " + PlainCredentials.ENV + ", or is asked for on the terminal: "
                    + "USER:PASSWORD shows it in the process list (ps).")
    String plain;

    /** The security asked for, or null for NULL; a missing or bad certificate is one line. */
    SocketSecurity security() {
        if ((curve == null) != (cert == null)) {
            throw new BadValueException("--curve and --cert go together: the server's public certificate and this "
                    + "client's secret one");
        }
        if (curve != null && plain != null) {
            throw new BadValueException("--curve and --plain: a connection speaks one mechanism, not both");
        }
        if (curve != null) {
            return SocketSecurity.curveClient(Certificates.loadPublic(curve), Certificates.loadSecret(cert));
        }
        return plain == null ? null : PlainCredentials.client("--plain", plain);
    }
}
