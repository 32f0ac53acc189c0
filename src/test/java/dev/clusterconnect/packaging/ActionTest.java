package dev.clusterconnect.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * action.yml, the composite action that installs the client archive from a release and runs
 * {@code clusterconnect kubeconfig} (docs/client.md). GitHub cannot be reached here, so the install
 * step runs against a stand-in {@code gh} that hands over the archive just built, and the
 * kubeconfig step's options are checked against the installed client's own help.
 */
class ActionTest {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*(.+?)\\s*}}");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*");

    @TempDir
    Path scratch;

    private static JsonNode action() throws IOException {
        return new YAMLMapper().readTree(Built.repositoryFile("action.yml").toFile());
    }

    private static JsonNode step(String nameStart) throws IOException {
        for (JsonNode step : action().at("/runs/steps")) {
            if (step.path("name").asText().startsWith(nameStart)) {
                return step;
            }
        }
        throw new AssertionError("no step named " + nameStart + "...");
    }

    @Test
    void takesTheRelayAndClusterAndDefaultsTheRest() throws IOException {
        JsonNode action = action();
        assertEquals("composite", action.at("/runs/using").asText());
        JsonNode inputs = action.get("inputs");
        assertThat(inputs.at("/relay/required").asBoolean()).isTrue();
        assertThat(inputs.at("/cluster/required").asBoolean()).isTrue();
        assertEquals("clusterconnect", inputs.at("/audience/default").asText(), "docs/identity.md's preset");
        assertEquals("latest", inputs.at("/version/default").asText());
        for (JsonNode input : inputs) {
            assertThat(input.path("description").asText()).isNotBlank();
        }
    }

    @Test
    void scriptsReadInputsFromTheEnvironmentOnly() throws IOException {
        Set<String> declared = new TreeSet<>();
        action().get("inputs").fieldNames().forEachRemaining(declared::add);
        for (JsonNode step : action().at("/runs/steps")) {
            // an expression pasted into a script would run a crafted input as shell
            assertThat(step.path("run").asText()).doesNotContain("${{");
            for (JsonNode value : step.path("env")) {
                Matcher m = Pattern.compile("inputs\\.([a-z-]+)").matcher(value.asText());
                while (m.find()) {
                    assertThat(declared).as("declared inputs").contains(m.group(1));
                }
            }
        }
    }

    @Test
    void installsTheReleaseArchiveAndPassesOnlyOptionsTheClientHas() throws IOException {
        Path archive = Built.clientArchive().toAbsolutePath();
        Path bin = Files.createDirectories(scratch.resolve("bin"));
        Path ghArgs = scratch.resolve("gh-args");
        Path gh = bin.resolve("gh");
        Files.writeString(gh, """
                #!/bin/sh
                echo "$*" >"%s"
                while [ $# -gt 0 ]; do [ "$1" = --dir ] && dir=$2; shift; done
                cp "%s" "$dir/"
                """.formatted(ghArgs, archive));
        assertThat(gh.toFile().setExecutable(true)).isTrue();
        Path githubPath = Files.createFile(scratch.resolve("github-path"));
        Path githubOutput = Files.createFile(scratch.resolve("github-output"));
        Path runnerTemp = Files.createDirectories(scratch.resolve("runner-temp"));

        Map<String, String> context = new HashMap<>();
        context.put("inputs.version", "0.9.1");
        context.put("inputs.relay", "https://relay.example.com");
        context.put("inputs.cluster", "prod-eu-1");
        context.put("github.token", "test-token");
        context.put("github.action_repository", "example/clusterconnect");
        action().get("inputs")
                .fields()
                .forEachRemaining(e -> context.putIfAbsent(
                        "inputs." + e.getKey(), e.getValue().path("default").asText("")));

        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("HOME", scratch.toString());
        env.put("RUNNER_OS", Built.platform().startsWith("darwin") ? "macOS" : "Linux");
        env.put("RUNNER_ARCH", Built.platform().endsWith("x86_64") ? "X64" : "ARM64");
        env.put("RUNNER_TEMP", runnerTemp.toString());
        env.put("GITHUB_PATH", githubPath.toString());
        env.put("GITHUB_OUTPUT", githubOutput.toString());

        JsonNode install = step("Install");
        Run run = runStep(install, context, env);
        assertEquals(0, run.exitCode(), run.output());
        assertThat(Files.readString(ghArgs))
                .startsWith("release download v0.9.1 ")
                .contains("--repo example/clusterconnect");
        String path = Files.readString(githubOutput).strip().replaceFirst("^path=", "");
        assertThat(Path.of(path, "bin", "clusterconnect")).isExecutable();
        assertEquals(path + "/bin", Files.readString(githubPath).strip(), "the client on the job's PATH");

        context.put("steps.install.outputs.path", path);
        JsonNode kubeconfig = step("Add the cluster");
        String script = kubeconfig.get("run").asText();
        assertThat(script).contains("bin/clusterconnect\" kubeconfig ");
        String help = Run.ok(scratch, List.of(path + "/bin/clusterconnect", "kubeconfig", "--help"));
        Set<String> passed = new TreeSet<>();
        // the step runs only clusterconnect: every option in it is one of kubeconfig's
        Matcher m = OPTION.matcher(script);
        while (m.find()) {
            passed.add(m.group());
        }
        assertThat(passed)
                .contains("--relay", "--cluster", "--github-actions-audience", "--exec-command", "--relay-ca");
        for (String option : passed) {
            assertThat(help).as("clusterconnect kubeconfig --help").contains(option + "=");
        }
        for (JsonNode value : kubeconfig.get("env")) {
            assertThat(evaluate(value.asText(), context)).as(value.asText()).isNotNull();
        }
    }

    private Run runStep(JsonNode step, Map<String, String> context, Map<String, String> baseEnv) {
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        step.path("env")
                .fields()
                .forEachRemaining(e -> env.put(e.getKey(), evaluate(e.getValue().asText(), context)));
        assertEquals("bash", step.get("shell").asText());
        return Run.of(scratch, env, List.of("bash", "-e", "-c", step.get("run").asText()));
    }

    /** The expressions action.yml uses: a context value, or the first non-empty of a || b. */
    private static String evaluate(String value, Map<String, String> context) {
        Matcher m = EXPRESSION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String result = "";
            for (String alternative : m.group(1).split("\\|\\|")) {
                String key = alternative.strip();
                assertThat(context)
                        .as("what the test knows of ${{ " + key + " }}")
                        .containsKey(key);
                if (!context.get(key).isEmpty()) {
                    result = context.get(key);
                    break;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(result));
        }
        m.appendTail(out);
        return out.toString();
    }
}
