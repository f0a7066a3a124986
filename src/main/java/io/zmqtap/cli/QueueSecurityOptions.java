package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.security.AccessRules;
import io.zmqtap.security.Certificates;
import io.zmqtap.security.SocketSecurity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * CURVE, PLAIN and ZAP options of {@code queue} and {@code proxy}: which served socket speaks CURVE
 * with which certificate, the backend as a CURVE or PLAIN client, and who may connect. Certificates
 * are CZMQ's ({@code zmqtap keygen}); each is loaded and checked here, so a bad one is one line
 * before anything binds.
 */
public final class QueueSecurityOptions {
    @Option(names = "--in-curve", paramLabel = "SECRET_CERT",
            description = "The frontend serves CURVE with this secret certificate (NAME_secret; mode 0600). Runs the "
                    + "queue on the jeromq engine. Clients allowed: --allow (default: any that knows the public key). "
                    + "With --in-cert: the frontend connects as a CURVE client to the server with this public "
                    + "certificate instead.")
    Path inCurve;

    @Option(names = "--in-cert", paramLabel = "CLIENT_SECRET_CERT",
            description = "The frontend's own secret certificate, with --in-curve SERVER_PUBLIC_CERT: the frontend is "
                    + "the CURVE client (e.g. an XSUB frontend connecting to a publisher that serves CURVE).")
    Path inCert;

    @Option(names = "--in-plain", paramLabel = "USERS_FILE",
            description = "The frontend serves PLAIN; users and passwords from this file, one user=password a line "
                    + "(CZMQ's passwords file; re-read when it changes). Runs the queue on the jeromq engine.")
    Path inPlain;

    @Option(names = "--mon-curve", paramLabel = "SECRET_CERT",
            description = "The capture feed serves CURVE with this secret certificate: only watchers with an allowed "
                    + "key (--allow) read it.")
    Path monCurve;

    @Option(names = "--in-plain-client", paramLabel = "USER[:PASSWORD]",
            description = "The frontend connects as a PLAIN client with this user name and password (e.g. an XSUB "
                    + "frontend dialling a publisher that serves PLAIN). With USER alone the password comes from "
                    + PlainCredentials.ENV + ", or is asked for on the terminal.")
    String inPlainClient;

    @Option(names = "--out-plain-server", paramLabel = "USERS_FILE",
            description = "The backend serves PLAIN to users from this file (e.g. an XPUB backend that subscribers "
                    + "connect to); the same file as --in-plain.")
    Path outPlainServer;

    @Option(names = "--mon-plain", paramLabel = "USERS_FILE",
            description = "The capture feed serves PLAIN: only watchers with a user and password from this file "
                    + "(user=password lines) read it. Every PLAIN socket is checked against one file: the same as "
                    + "--in-plain and --control-plain.")
    Path monPlain;

    @Option(names = "--control-plain", paramLabel = "USERS_FILE",
            description = "The control socket serves PLAIN: only ctl clients with a user and password from this file "
                    + "steer the queue. The same file as --in-plain and --mon-plain.")
    Path controlPlain;

    @Option(names = "--control-curve", paramLabel = "SECRET_CERT",
            description = "The control socket serves CURVE with this secret certificate: only ctl clients with an "
                    + "allowed key (--allow) steer the queue.")
    Path controlCurve;

    @Option(names = "--out-curve", paramLabel = "SERVER_PUBLIC_CERT",
            description = "The backend connects as a CURVE client to the server with this public certificate; "
                    + "with --out-cert. Without --out-cert, a secret certificate: the backend serves CURVE with it "
                    + "(e.g. an XPUB backend that subscribers connect to; clients allowed: --allow).")
    Path outCurve;

    @Option(names = "--out-cert", paramLabel = "CLIENT_SECRET_CERT",
            description = "The backend's own secret certificate, with --out-curve.")
    Path outCert;

    @Option(names = "--out-plain", paramLabel = "USER[:PASSWORD]",
            description = "The backend connects as a PLAIN client with this user name and password. With USER alone "
                    + "the password comes from " + PlainCredentials.ENV + ", or is asked for on the terminal: "
                    + "USER:PASSWORD shows it in the process list (ps).")
    String outPlain;

    @Option(names = "--allow", paramLabel = "DIR",
            description = "Only CURVE clients whose public certificate is in DIR may connect to the served sockets "
                    + "(--in-curve, --mon-curve, --control-curve). DIR is re-read when it changes, from the next "
                    + "connection on.")
    Path allow;

    @Option(names = "--allow-ip", paramLabel = "ADDRESS",
            description = "Only clients from this IP address may connect to the frontend, capture and control "
                    + "sockets (repeat for more). Runs the queue on the jeromq engine.")
    List<String> allowIp = new ArrayList<>();

    @Option(names = "--deny-ip", paramLabel = "ADDRESS",
            description = "Clients from this IP address may not connect to the frontend, capture and control "
                    + "sockets (repeat for more).")
    List<String> denyIp = new ArrayList<>();

    /** Applies these options to a builder; a missing, garbled or too open certificate is one line. */
    void apply(MonitoredQueue.Builder b) {
        oneMechanism("the frontend", new String[] {"--in-curve", "--in-plain", "--in-plain-client"}, inCurve, inPlain,
                inPlainClient);
        oneMechanism("the backend", new String[] {"--out-curve", "--out-plain", "--out-plain-server"}, outCurve,
                outPlain, outPlainServer);
        oneMechanism("the capture feed", new String[] {"--mon-curve", "--mon-plain"}, monCurve, monPlain);
        oneMechanism("the control socket", new String[] {"--control-curve", "--control-plain"}, controlCurve,
                controlPlain);
        if (inCert != null && inCurve == null) {
            throw new BadValueException("--in-cert goes with --in-curve SERVER_PUBLIC_CERT: the server's public "
                    + "certificate and the frontend's own secret one");
        }
        if (outCert != null && outCurve == null) {
            throw new BadValueException("--out-curve and --out-cert go together: the server's public certificate "
                    + "and the backend's own secret one");
        }
        boolean servesCurve = (inCurve != null && inCert == null) || (outCurve != null && outCert == null)
                || monCurve != null || controlCurve != null;
        if (allow != null && !servesCurve) {
            throw new BadValueException("--allow " + allow + " lists CURVE clients, but no socket serves CURVE "
                    + "(--in-curve, --out-curve without --out-cert, --mon-curve or --control-curve)");
        }
        if (inCurve != null) {
            b.frontendSecurity(curve("--in-curve", inCurve, inCert, "--in-cert"));
        } else if (inPlain != null) {
            b.frontendSecurity(SocketSecurity.plainServer());
        } else if (inPlainClient != null) {
            b.frontendSecurity(PlainCredentials.client("--in-plain-client", inPlainClient));
        }
        if (monCurve != null) {
            b.captureSecurity(SocketSecurity.curveServer(Certificates.loadSecret(monCurve)));
        } else if (monPlain != null) {
            b.captureSecurity(SocketSecurity.plainServer());
        }
        if (controlCurve != null) {
            b.controlSecurity(SocketSecurity.curveServer(Certificates.loadSecret(controlCurve)));
        } else if (controlPlain != null) {
            b.controlSecurity(SocketSecurity.plainServer());
        }
        if (outCurve != null) {
            b.backendSecurity(curve("--out-curve", outCurve, outCert, "--out-cert"));
        } else if (outPlain != null) {
            b.backendSecurity(PlainCredentials.client("--out-plain", outPlain));
        } else if (outPlainServer != null) {
            b.backendSecurity(SocketSecurity.plainServer());
        }
        AccessRules rules = AccessRules.none();
        if (allow != null) {
            rules.allowDirectory(allow);
        }
        Path users = plainUsers();
        if (users != null) {
            rules.plainUsers(users);
        }
        allowIp.forEach(rules::allowAddress);
        denyIp.forEach(rules::denyAddress);
        b.access(rules);
    }

    /** At most one of {@code options} (each set when its value is not null) sets {@code socket}'s mechanism. */
    private static void oneMechanism(String socket, String[] options, Object... values) {
        List<String> given = new ArrayList<>();
        for (int i = 0; i < options.length; i++) {
            if (values[i] != null) {
                given.add(options[i]);
            }
        }
        if (given.size() > 1) {
            throw new BadValueException(String.join(" and ", given) + ": " + socket + " speaks one mechanism, not "
                    + "both");
        }
    }

    /**
     * The one passwords file of every socket that serves PLAIN, or null: the ZAP handler checks
     * PLAIN users against one file, so two different ones would leave one unread.
     */
    private Path plainUsers() {
        Path users = null;
        String first = null;
        String[] names = {"--in-plain", "--out-plain-server", "--mon-plain", "--control-plain"};
        Path[] files = {inPlain, outPlainServer, monPlain, controlPlain};
        for (int i = 0; i < files.length; i++) {
            if (files[i] == null) {
                continue;
            }
            if (users == null) {
                users = files[i];
                first = names[i];
            } else if (!users.toAbsolutePath().normalize().equals(files[i].toAbsolutePath().normalize())) {
                throw new BadValueException(first + " " + users + " and " + names[i] + " " + files[i] + ": every "
                        + "socket that serves PLAIN is checked against one passwords file; give the same file");
            }
        }
        return users;
    }

    /**
     * {@code --X-curve CERT}: with {@code own} (a client's secret certificate) a CURVE client of the
     * server whose public certificate CERT is; alone, CERT is a secret one and the socket serves CURVE.
     */
    private static SocketSecurity curve(String option, Path cert, Path own, String ownOption) {
        if (own != null) {
            return SocketSecurity.curveClient(Certificates.loadPublic(cert), Certificates.loadSecret(own));
        }
        try {
            return SocketSecurity.curveServer(Certificates.loadSecret(cert));
        } catch (BadValueException e) {
            if (!e.getMessage().contains("is a public certificate")) {
                throw e;
            }
            throw new BadValueException(option + " alone serves CURVE with a secret certificate (to connect as a "
                    + "client, add " + ownOption + "): " + e.getMessage());
        }
    }
}
