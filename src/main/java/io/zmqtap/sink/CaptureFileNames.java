package io.zmqtap.sink;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of a rotated recording's files: {@code capture.zcap} becomes {@code capture-00001.zcap},
 * {@code capture-00002.zcap}, … so that a shell glob ({@code capture-*.zcap}) lists them in the
 * order they were written.
 *
 * <p>Usage: {@code Path p = CaptureFileNames.part(Path.of("capture.zcap"), 2); // capture-00002.zcap}
 */
public final class CaptureFileNames {
    private CaptureFileNames() {}

    /** Part {@code n} (from 1) of the recording {@code file}. */
    public static Path part(Path file, long n) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return file.resolveSibling(String.format("%s-%05d%s", stem, n, ext));
    }

    /** The highest part of {@code file} that exists, 0 when none does. */
    public static long lastPart(Path file) throws IOException {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        Pattern p = Pattern.compile(Pattern.quote(stem) + "-(\\d{5,18})" + Pattern.quote(ext));
        Path dir = file.toAbsolutePath().getParent();
        long last = 0;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir)) {
            for (Path part : parts) {
                Matcher m = p.matcher(part.getFileName().toString());
                if (m.matches()) {
                    last = Math.max(last, Long.parseLong(m.group(1)));
                }
            }
        }
        return last;
    }
}
