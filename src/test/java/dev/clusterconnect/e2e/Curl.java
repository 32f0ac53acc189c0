package dev.clusterconnect.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Times one download with {@code curl}, a separate process, reading the body to the end and dropping it. */
final class Curl {

    /** Seconds, bytes and status of one download. */
    record Download(double seconds, long bytes, int status) {}

    private Curl() {}

    static Download get(String url, String token, Path caFile) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(
                        "curl",
                        "-sS",
                        "-o",
                        "/dev/null",
                        "--cacert",
                        caFile.toString(),
                        "-H",
                        "Authorization: Bearer " + token,
                        "-w",
                        "%{time_total} %{size_download} %{http_code}",
                        url))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IOException("curl failed: " + output);
        }
        String[] parts = output.split(" ");
        return new Download(Double.parseDouble(parts[0]), Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
    }
}
