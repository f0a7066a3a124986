package io.zmqtap.cli;

import io.zmqtap.security.Certificates;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zmqtap keygen NAME [--dir D]}: a CURVE key pair as CZMQ certificates, {@code D/NAME}
 * (public: hand it out) and {@code D/NAME_secret} (mode 0600: keep it). Prints the public key on
 * stdout, alone, so scripts can take it: {@code KEY=$(zmqtap keygen server --dir keys)}.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        header = "Make a CURVE key pair as CZMQ certificates (NAME and NAME_secret).",
        description = {"Writes DIR/NAME (the public certificate: give it to the other side) and DIR/NAME_secret "
                + "(the secret certificate, mode 0600: keep it), in CZMQ's zcert format, as zcert_save, "
                + "pyzmq's zmq.auth.create_certificates and zmqtap's --in-curve, --curve, --cert and --allow "
                + "read them. Prints the public key (Z85). Never overwrites a file."})
public final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The certificate's name, e.g. server or client1.")
    String name;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
            description = "Where to write the two files (made when missing). Default: the current directory.")
    Path dir;

    @Override
    public Integer call() {
        Certificates.Pair pair = Certificates.generate(dir, name);
        spec.commandLine().getErr().println("zmqtap keygen: wrote " + pair.publicFile() + " (public) and "
                + pair.secretFile() + " (secret, mode 0600)");
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().println(pair.publicKey());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
