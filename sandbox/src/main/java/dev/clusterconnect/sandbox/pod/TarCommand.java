package dev.clusterconnect.sandbox.pod;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tar cf - <path>...} and {@code tar xf - [-C dir]} over a pod's files: what
 * {@code kubectl cp} runs to copy out of and into a pod. Like GNU tar, member names lose their
 * leading {@code /}.
 */
final class TarCommand {

    private final PodFileSystem files;

    TarCommand(PodFileSystem files) {
        this.files = files;
    }

    int run(List<String> args, InputStream stdin, OutputStream stdout, PrintStream stderr) throws IOException {
        String mode = "";
        String directory = "/";
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-C") && i + 1 < args.size()) {
                directory = args.get(++i);
            } else if (i == 0 || arg.startsWith("-")) {
                mode += arg.replace("-", "");
            } else {
                operands.add(arg);
            }
        }
        // "-f -": the archive is stdin or stdout; a lone "-" operand is that archive name
        operands.remove("-");
        if (mode.contains("c")) {
            return create(operands, directory, stdout, stderr);
        }
        if (mode.contains("x")) {
            return extract(stdin, directory, stderr);
        }
        stderr.println("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
        return 2;
    }

    private int create(List<String> paths, String directory, OutputStream stdout, PrintStream stderr)
            throws IOException {
        int status = 0;
        for (String path : paths) {
            String absolute = path.startsWith("/") ? path : directory + "/" + path;
            if (!files.exists(absolute)) {
                stderr.println("tar: " + path + ": Cannot stat: No such file or directory");
                status = 2;
                continue;
            }
            for (String entry : files.walk(absolute)) {
                String name = memberName(path, absolute, entry);
                Tar.writeEntry(
                        stdout,
                        files.isDirectory(entry) ? name + "/" : name,
                        files.read(entry).orElse(null));
            }
        }
        Tar.finish(stdout);
        if (status != 0) {
            stderr.println("tar: Exiting with failure status due to previous errors");
        }
        return status;
    }

    /** The member name: the path as given plus the part below it, without a leading slash. */
    private static String memberName(String given, String absolute, String entry) {
        String base = PodFileSystem.normalize(absolute);
        String below = entry.substring(base.length());
        String name = (given.startsWith("/") ? base : given.replaceAll("/+$", "")) + below;
        return name.replaceFirst("^/+", "");
    }

    private int extract(InputStream stdin, String directory, PrintStream stderr) throws IOException {
        if (!files.isDirectory(directory)) {
            stderr.println("tar: " + directory + ": Cannot open: No such file or directory");
            return 2;
        }
        Tar.read(stdin, (name, content) -> {
            String target = directory + "/" + name;
            if (content == null) {
                files.mkdirs(target);
            } else {
                files.write(target, content);
            }
        });
        // drain what follows the end-of-archive blocks, as tar does, so the client's writes complete
        stdin.transferTo(OutputStream.nullOutputStream());
        return 0;
    }
}
