package dev.clusterconnect.sandbox.pod;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The commands a sandbox container knows: {@code echo}, {@code cat}, {@code sh -c}, {@code tar},
 * {@code test}, {@code ls}, {@code pwd}, {@code hostname}, {@code env}, {@code sleep}, {@code true},
 * {@code false}, {@code tail -c+N} and {@code exit}, with output redirection to files. Anything else
 * fails with 127 like a missing binary.
 */
public final class FakeShell implements PodProcess {

    private final List<String> argv;
    private final PodFileSystem files;
    private final String hostname;

    /** A process that will run {@code argv} in a container with the given files and host name. */
    public FakeShell(List<String> argv, PodFileSystem files, String hostname) {
        this.argv = List.copyOf(argv);
        this.files = files;
        this.hostname = hostname;
    }

    @Override
    public int run(InputStream stdin, OutputStream stdout, OutputStream stderr)
            throws IOException, InterruptedException {
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        return command(argv, stdin, stdout, err);
    }

    private int command(List<String> words, InputStream in, OutputStream out, PrintStream err)
            throws IOException, InterruptedException {
        if (words.isEmpty()) {
            return 0;
        }
        if (words.contains(">&2") || words.contains("1>&2")) {
            List<String> rest = words.stream()
                    .filter(w -> !w.equals(">&2") && !w.equals("1>&2"))
                    .toList();
            return command(rest, in, err, err);
        }
        if (words.contains("2>&1")) {
            PrintStream merged = new PrintStream(out, true, StandardCharsets.UTF_8);
            return command(words.stream().filter(w -> !w.equals("2>&1")).toList(), in, out, merged);
        }
        int redirect = Math.max(words.indexOf(">"), words.indexOf(">>"));
        if (redirect >= 0 && redirect + 1 < words.size()) {
            return redirected(words, redirect, in, err);
        }
        List<String> args = words.subList(1, words.size());
        String name = words.get(0).substring(words.get(0).lastIndexOf('/') + 1);
        return switch (name) {
            case "echo" -> echo(args, out);
            case "cat" -> cat(args, in, out, err);
            case "sh", "bash", "ash" -> shell(args, in, out, err);
            case "tar" -> new TarCommand(files).run(args, in, out, err);
            case "test", "[" -> test(args) ? 0 : 1;
            case "ls" -> print(out, String.join("\n", files.list(args.isEmpty() ? "/" : args.get(args.size() - 1))));
            case "pwd" -> print(out, "/");
            case "hostname" -> print(out, hostname);
            case "env" ->
                print(
                        out,
                        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=" + hostname
                                + "\nHOME=/root");
            case "sleep" -> sleep(args);
            case "true" -> 0;
            case "false" -> 1;
            case "tail" -> tail(args, in, out);
            case "exit" -> args.isEmpty() ? 0 : Integer.parseInt(args.get(0)) & 0xff;
            default -> {
                err.println("sh: " + words.get(0) + ": not found");
                yield 127;
            }
        };
    }

    private int shell(List<String> args, InputStream in, OutputStream out, PrintStream err)
            throws IOException, InterruptedException {
        if (args.size() < 2 || !args.get(0).equals("-c")) {
            err.println("sh: only 'sh -c <script>' is supported here");
            return 2;
        }
        int status = 0;
        for (ShellScript.Statement statement : ShellScript.parse(args.get(1))) {
            if ((statement.condition().equals("&&") && status != 0)
                    || (statement.condition().equals("||") && status == 0)) {
                continue;
            }
            if (statement.pipeline().get(0).get(0).equals("exit")) {
                return command(statement.pipeline().get(0), in, out, err);
            }
            status = pipeline(statement.pipeline(), in, out, err);
        }
        return status;
    }

    /** Runs each command of a pipe to completion and feeds its output to the next. */
    private int pipeline(List<List<String>> commands, InputStream in, OutputStream out, PrintStream err)
            throws IOException, InterruptedException {
        InputStream input = in;
        for (int i = 0; i < commands.size() - 1; i++) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            command(commands.get(i), input, buffer, err);
            input = new ByteArrayInputStream(buffer.toByteArray());
        }
        // like sh without pipefail, the pipeline's status is the last command's
        return command(commands.get(commands.size() - 1), input, out, err);
    }

    private int redirected(List<String> words, int redirect, InputStream in, PrintStream err)
            throws IOException, InterruptedException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        String path = words.get(redirect + 1);
        if (words.get(redirect).equals(">>")) {
            buffer.write(files.read(path).orElse(new byte[0]));
        }
        int status = command(words.subList(0, redirect), in, buffer, err);
        files.write(path, buffer.toByteArray());
        return status;
    }

    private static int echo(List<String> args, OutputStream out) throws IOException {
        boolean newline = args.isEmpty() || !args.get(0).equals("-n");
        String text = String.join(" ", newline ? args : args.subList(1, args.size()));
        out.write((text + (newline ? "\n" : "")).getBytes(StandardCharsets.UTF_8));
        out.flush();
        return 0;
    }

    private int cat(List<String> args, InputStream in, OutputStream out, PrintStream err) throws IOException {
        if (args.isEmpty() || args.equals(List.of("-"))) {
            byte[] buffer = new byte[8192];
            for (int read; (read = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, read);
                // flush every chunk so an interactive "cat" echoes as the user types
                out.flush();
            }
            return 0;
        }
        int status = 0;
        for (String path : args) {
            var content = files.read(path);
            if (content.isPresent()) {
                out.write(content.get());
            } else {
                err.println("cat: " + path + ": "
                        + (files.isDirectory(path) ? "Is a directory" : "No such file or directory"));
                status = 1;
            }
        }
        out.flush();
        return status;
    }

    private boolean test(List<String> args) {
        List<String> operands =
                args.isEmpty() || !args.get(args.size() - 1).equals("]") ? args : args.subList(0, args.size() - 1);
        if (operands.size() != 2) {
            return operands.size() == 1 && !operands.get(0).isEmpty();
        }
        String path = operands.get(1);
        return switch (operands.get(0)) {
            case "-d" -> files.isDirectory(path);
            case "-f" -> files.read(path).isPresent();
            case "-e" -> files.exists(path);
            default -> false;
        };
    }

    private static int tail(List<String> args, InputStream in, OutputStream out) throws IOException {
        byte[] all = in.readAllBytes();
        int from = 0;
        if (!args.isEmpty() && args.get(0).startsWith("-c+")) {
            from = Math.min(all.length, Math.max(0, Integer.parseInt(args.get(0).substring(3)) - 1));
        }
        out.write(all, from, all.length - from);
        out.flush();
        return 0;
    }

    private static int sleep(List<String> args) throws InterruptedException {
        Thread.sleep((long) (Double.parseDouble(args.isEmpty() ? "0" : args.get(0)) * 1000));
        return 0;
    }

    private static int print(OutputStream out, String text) throws IOException {
        out.write((text.isEmpty() ? "" : text + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return 0;
    }
}
