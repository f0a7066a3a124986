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
                    + "queue on the jeromq engine. Clients allowed: --allow (default: any that knows the public key).")
    Path inCurve;

    @Option(names = "--in-plain", paramLabel = "USERS_FILE",
            description = "The frontend serves PLAIN; users and passwords from this file, one user=password a line "
                    + "(CZMQ's passwords file; re-read when it changes). Runs the queue on the jeromq engine.")
    Path inPlain;

    @Option(names = "--mon-curve", paramLabel = "SECRET_CERT",
            description = "The capture feed serves CURVE with this secret certificate: only watchers with an allowed "
                    + "key (--allow) read it.")
    Path monCurve;

    @Option(names = "--control-curve", paramLabel = "SECRET_CERT",
            description = "The control socket serves CURVE with this secret certificate: only ctl clients with an "
                    + "allowed key (--allow) steer the queue.")
    Path controlCurve;

    @Option(names = "--out-curve", paramLabel = "SERVER_PUBLIC_CERT",
            description = "The backend connects as a CURVE client to the server with this public certificate; "
                    + "with --out-cert.")
    Path outCurve;

    @Option(names = "--out-cert", paramLabel = "CLIENT_SECRET_CERT",
            description = "The backend's own secret certificate, with --out-curve.")
    Path outCert;

    @Option(names = "--out-plain", paramLabel = "USER:PASSWORD",
            description = "The backend connects as a PLAIN client with this user name and password.")
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
        if (inCurve != null && inPlain != null) {
            throw new BadValueException("--in-curve and --in-plain: the frontend speaks one mechanism, not both");
        }
        if ((outCurve == null) != (outCert == null)) {
            throw new BadValueException("--out-curve and --out-cert go together: the server's public certificate "
                    + "and the backend's own secret one");
        }
        if (outCurve != null && outPlain != null) {
            throw new BadValueException("--out-curve and --out-plain: the backend speaks one mechanism, not both");
        }
        if (allow != null && inCurve == null && monCurve == null && controlCurve == null) {
            throw new BadValueException("--allow " + allow + " lists CURVE clients, but no socket serves CURVE "
                    + "(--in-curve, --mon-curve or --control-curve)");
        }
        if (inCurve != null) {
            b.frontendSecurity(SocketSecurity.curveServer(Certificates.loadSecret(inCurve)));
        } else if (inPlain != null) {
            b.frontendSecurity(SocketSecurity.plainServer());
        }
        if (monCurve != null) {
            b.captureSecurity(SocketSecurity.curveServer(Certificates.loadSecret(monCurve)));
        }
        if (controlCurve != null) {
            b.controlSecurity(SocketSecurity.curveServer(Certificates.loadSecret(controlCurve)));
        }
        if (outCurve != null) {
            b.backendSecurity(SocketSecurity.curveClient(Certificates.loadPublic(outCurve),
                    Certificates.loadSecret(outCert)));
        } else if (outPlain != null) {
            b.backendSecurity(SocketSecurity.plainClient(outPlain));
        }
        AccessRules rules = AccessRules.none();
        if (allow != null) {
            rules.allowDirectory(allow);
        }
        if (inPlain != null) {
            rules.plainUsers(inPlain);
        }
        allowIp.forEach(rules::allowAddress);
        denyIp.forEach(rules::denyAddress);
        b.access(rules);
    }
}
