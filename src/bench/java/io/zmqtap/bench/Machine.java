package io.zmqtap.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the bench ran, for the record next to the numbers.
 *
 * @param cpus processors available to the JVM
 * @param cpuModel first {@code model name} in /proc/cpuinfo, or "unknown"
 * @param java e.g. {@code OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1}
 * @param libzmq libzmq version pyzmq reports, or "unavailable"
 * @param loadAverage the 1-minute load average when looked at (the machine may be shared), or -1
 */
public record Machine(int cpus, String cpuModel, String java, String libzmq, double loadAverage) {

    /** Looks at this machine (runs python3 once for the libzmq version). */
    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                libzmqVersion().orElse("unavailable"), readLoadAverage());
    }

    private static double readLoadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux: say so below
        }
        return "unknown";
    }

    private static Optional<String> libzmqVersion() {
        try {
            return Subprocess.run(List.of(LibzmqSetup.PYTHON, "-c", "import zmq; print(zmq.zmq_version())"),
                            Duration.ofSeconds(15))
                    .filter(done -> done.exitValue() == 0 && !done.output().isEmpty())
                    .map(Subprocess.Finished::output);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
