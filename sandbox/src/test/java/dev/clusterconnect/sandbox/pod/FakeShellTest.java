package dev.clusterconnect.sandbox.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeShellTest {

    private final PodFileSystem files = new PodFileSystem("pod-a");

    @Test
    void scriptsRunStatementsPipesAndRedirections() throws Exception {
        assertEquals("one\nthree\n", run("echo one; false && echo two; true || echo no; echo three").out);
        run("echo saved > /tmp/f; echo more >> /tmp/f");
        assertEquals("saved\nmore\n", run("cat /tmp/f").out);
        assertEquals("ved\n", run("echo saved | tail -c+3").out);
    }

    @Test
    void redirectionsMoveOutputBetweenStreams() throws Exception {
        Run toErr = run("echo oops >&2; cat /missing 2>&1");
        assertEquals("oops\n", toErr.err);
        assertEquals("cat: /missing: No such file or directory\n", toErr.out);
    }

    @Test
    void exitStopsTheScriptWithItsCode() throws Exception {
        Run result = run("echo before; exit 7; echo after");
        assertEquals(7, result.code);
        assertEquals("before\n", result.out);
    }

    @Test
    void unknownCommandsFailLikeAMissingBinary() throws Exception {
        Run result = run("frobnicate");
        assertEquals(127, result.code);
        assertEquals("sh: frobnicate: not found\n", result.err);
    }

    @Test
    void tarRoundTripsADirectoryWithMemberNamesWithoutTheLeadingSlash() throws Exception {
        files.write("/data/x/one.txt", "1".getBytes(StandardCharsets.UTF_8));
        files.write("/data/x/sub/two.txt", "22".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        new FakeShell(List.of("tar", "cf", "-", "/data/x"), files, "pod-a")
                .run(java.io.InputStream.nullInputStream(), archive, java.io.OutputStream.nullOutputStream());
        List<String> names = new java.util.ArrayList<>();
        Tar.read(new ByteArrayInputStream(archive.toByteArray()), (name, content) -> names.add(name));
        assertEquals(List.of("data/x/", "data/x/one.txt", "data/x/sub/", "data/x/sub/two.txt"), names);
        PodFileSystem other = new PodFileSystem("pod-b");
        new FakeShell(List.of("tar", "-xmf", "-", "-C", "/tmp"), other, "pod-b")
                .run(
                        new ByteArrayInputStream(archive.toByteArray()),
                        java.io.OutputStream.nullOutputStream(),
                        java.io.OutputStream.nullOutputStream());
        assertEquals("22", new String(other.read("/tmp/data/x/sub/two.txt").orElseThrow(), StandardCharsets.UTF_8));
    }

    private Run run(String script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new FakeShell(List.of("sh", "-c", script), files, "pod-a")
                .run(java.io.InputStream.nullInputStream(), out, err);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {}
}
