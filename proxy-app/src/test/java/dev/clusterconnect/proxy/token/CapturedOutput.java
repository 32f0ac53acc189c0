package dev.clusterconnect.proxy.token;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what the code under test writes to System.out and System.err (still echoing it). */
final class CapturedOutput {

    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private CapturedOutput() {}

    static CapturedOutput start() {
        CapturedOutput captured = new CapturedOutput();
        System.setOut(new PrintStream(new Tee(captured.originalOut, captured.bytes), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(captured.originalErr, captured.bytes), true, StandardCharsets.UTF_8));
        return captured;
    }

    void stop() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final ByteArrayOutputStream second;

        Tee(OutputStream first, ByteArrayOutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            synchronized (second) {
                second.write(b, off, len);
            }
        }
    }
}
