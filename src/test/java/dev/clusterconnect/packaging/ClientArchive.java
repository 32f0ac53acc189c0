package dev.clusterconnect.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The client archive, unpacked once per test run into target/client-archive. */
final class ClientArchive {

    private static Path home;

    private ClientArchive() {}

    /** The unpacked archive's top folder, which holds bin/, lib/ and runtime/. */
    static synchronized Path home() {
        if (home == null) {
            Path archive = Built.clientArchive().toAbsolutePath();
            Path dir = Path.of("target", "client-archive").toAbsolutePath();
            Run.ok(Path.of("."), List.of("rm", "-rf", dir.toString()));
            Run.ok(Path.of("."), List.of("mkdir", "-p", dir.toString()));
            Run.ok(dir, List.of("tar", "-xzf", archive.toString()));
            String name = archive.getFileName().toString().replace(".tar.gz", "");
            home = dir.resolve(name);
        }
        return home;
    }

    /**
     * Runs the launcher with no Java to be found: no JAVA_HOME, and a PATH of the system's own
     * folders only (checked to hold no java).
     */
    static Run clusterconnect(Path scratchHome, Map<String, String> moreEnv, String... args) {
        var env = new java.util.HashMap<String, String>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", scratchHome.toString());
        env.put("XDG_CACHE_HOME", scratchHome.resolve("cache").toString());
        env.putAll(moreEnv);
        var command = new java.util.ArrayList<String>();
        command.add(home().resolve("bin").resolve("clusterconnect").toString());
        command.addAll(List.of(args));
        return Run.of(scratchHome, env, command);
    }

    static boolean javaOnSystemPath() {
        return Files.exists(Path.of("/usr/bin/java")) || Files.exists(Path.of("/bin/java"));
    }
}
