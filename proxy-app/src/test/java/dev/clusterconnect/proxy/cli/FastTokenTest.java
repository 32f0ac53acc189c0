package dev.clusterconnect.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.proxy.exec.ExecCredentialCache;
import dev.clusterconnect.proxy.token.RefreshPolicy;
import dev.clusterconnect.proxy.token.TestJwts;
import dev.clusterconnect.proxy.token.Token;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FastToken} answers from the cache only with what the full CLI printed and cached for
 * the same command line, and otherwise behaves exactly as the full CLI. The child-JVM tests run
 * it as the launcher does, with its own environment (the cache directory and the token variable).
 */
class FastTokenTest {

    private static final String[] PROD = {"token", "--cluster", "prod", "--token-env", "CC_TEST_TOKEN"};

    @TempDir
    Path dir;

    private final String token = TestJwts.expiringAt(Instant.now().plus(Duration.ofHours(1)));

    @Test
    void aCachedCredentialForTheSameCommandLineIsPrintedAsCached() {
        String printed = cache("prod").write(List.of(PROD), Token.of(token));

        assertEquals(printed, cached(PROD).orElseThrow());
    }

    @Test
    void aMissingCacheEntryIsAMiss() {
        assertTrue(cached(PROD).isEmpty());
    }

    @Test
    void anEntryDueForRefreshIsAMiss() {
        Instant anHourAgo = Instant.now().minus(Duration.ofMinutes(58));
        new ExecCredentialCache(cache("prod").file(), RefreshPolicy.DEFAULT, Clock.fixed(anHourAgo, ZoneOffset.UTC))
                .write(List.of(PROD), Token.of(TestJwts.expiringAt(anHourAgo.plus(Duration.ofHours(1)))));

        assertTrue(cached(PROD).isEmpty());
    }

    @Test
    void aCorruptEntryIsAMiss() throws Exception {
        String printed = cache("prod").write(List.of(PROD), Token.of(token));
        Path file = cache("prod").file();
        String good = Files.readString(file);
        assertTrue(cached(PROD).isPresent());

        for (String corrupt : List.of(
                printed,
                good.substring(0, good.length() - 1),
                good.replace("client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"),
                good.replace("\"expirationTimestamp\"", "\"expirationTimestamp\":1,\"x\""),
                good + "}",
                "")) {
            Files.writeString(file, corrupt);
            assertTrue(cached(PROD).isEmpty(), corrupt);
        }
    }

    @Test
    void anEntryForAnotherCommandLineIsAMiss() {
        cache("prod").write(List.of(PROD), Token.of(token));

        assertTrue(cached(PROD).isPresent());
        // another token source (another user), the same cluster: the same file, another key
        assertTrue(cached("token", "--cluster", "prod", "--token-env", "OTHER").isEmpty());
        assertTrue(cached("token", "--cluster=prod", "--token-env", "CC_TEST_TOKEN")
                .isEmpty());
        assertTrue(cached("token", "--cluster", "staging", "--token-env", "CC_TEST_TOKEN")
                .isEmpty());
        assertTrue(cached("proxy", "--cluster", "prod", "--token-env", "CC_TEST_TOKEN")
                .isEmpty());
        assertTrue(cached("token", "--cluster", "prod", "--token-env", "CC_TEST_TOKEN", "--cluster", "prod")
                .isEmpty());
    }

    @Test
    void aMissRunsTheFullCliAndAHitPrintsTheSameWithoutLoadingIt() throws Exception {
        Run miss = run(FastToken.class, Map.of("CC_TEST_TOKEN", token), PROD);
        Path cacheFile = cache("prod").file();
        Path classes = dir.resolve("classes.log");
        Run hit = runWith("-Xlog:class+load=info:file=" + classes, FastToken.class, Map.of(), PROD);

        assertEquals(0, miss.exit, miss.err);
        assertTrue(miss.out.contains("\"token\":\"" + token + "\""), miss.out);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheFile)));
        assertEquals(new Run(0, miss.out, ""), hit);
        List<String> loaded = Files.readAllLines(classes).stream()
                .filter(line -> line.contains("picocli.")
                        || line.contains("org.apache.camel.")
                        || line.contains("com.fasterxml.jackson.")
                        || line.contains("com.nimbusds."))
                .toList();
        assertEquals(List.of(), loaded);
        assertTrue(Files.readString(classes).contains(FastToken.class.getName()), "the class log is empty");
    }

    @Test
    void withoutAUsableCacheEntryTheOutputIsTheFullClis() throws Exception {
        String[] noToken = {"token", "--cluster", "prod", "--token-env", "CC_TEST_UNSET"};
        assertEquals(run(Clusterconnect.class, Map.of(), noToken), run(FastToken.class, Map.of(), noToken));
        assertEquals(
                run(Clusterconnect.class, Map.of(), "token", "--help"),
                run(FastToken.class, Map.of(), "token", "--help"));

        Files.createDirectories(cache("prod").file().getParent());
        Files.writeString(cache("prod").file(), "[\"token\"]\n{\"status\":{\"token\":\"" + token + "\"");
        Run corrupt = run(FastToken.class, Map.of(), noToken);
        assertEquals(3, corrupt.exit);
        assertEquals("", corrupt.out);
        assertTrue(corrupt.err.startsWith("clusterconnect: "), corrupt.err);
        assertFalse(corrupt.err.contains(token), corrupt.err);

        Run fresh = run(FastToken.class, Map.of("CC_TEST_TOKEN", token), PROD);
        assertEquals(0, fresh.exit, fresh.err);
        assertNotEquals("", fresh.out);
        assertEquals("", fresh.err);
    }

    private ExecCredentialCache cache(String cluster) {
        return ExecCredentialCache.forCluster(dir.resolve("cache/clusterconnect"), cluster);
    }

    /** What the child JVMs below read: XDG_CACHE_HOME is dir/cache. */
    private java.util.Optional<String> cached(String... args) {
        return FastToken.cached(args, dir.resolve("cache/clusterconnect"));
    }

    private record Run(int exit, String out, String err) {}

    private Run run(Class<?> main, Map<String, String> env, String... args) throws Exception {
        return runWith(null, main, env, args);
    }

    /** Runs {@code main} in a child JVM whose cache directory is {@code dir/cache}. */
    private Run runWith(String jvmOption, Class<?> main, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path")));
        if (jvmOption != null) {
            command.add(jvmOption);
        }
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("CC_TEST_TOKEN");
        builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        builder.environment().putAll(env);
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process process = builder.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        process.getOutputStream().close();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
