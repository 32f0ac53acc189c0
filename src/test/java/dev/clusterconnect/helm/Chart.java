package dev.clusterconnect.helm;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One of the charts under {@code ../helm}, rendered the way {@code helm template} would render it
 * for release {@value #RELEASE} in namespace {@value #NAMESPACE}.
 */
final class Chart {

    static final String RELEASE = "prod";
    static final String NAMESPACE = "clusterconnect";

    static final Chart AGENT = new Chart("clusterconnect-agent");
    static final Chart RELAY = new Chart("clusterconnect-relay");

    /** Helm's built-in default (v1.20) is older than the charts' kubeVersion constraint. */
    private static final String KUBE_VERSION = "v1.30.0";

    private final String name;
    private final Path dir;

    private Chart(String name) {
        this.name = name;
        // Relative to the module's basedir, which is where surefire runs the tests.
        this.dir = Path.of("..", "helm", name);
    }

    Path dir() {
        return dir;
    }

    /** The example values file that sets every option ({@code ci/full-values.yaml}). */
    Path fullValues() {
        return dir.resolve("ci").resolve("full-values.yaml");
    }

    LintResult lint(boolean strict) {
        var lint = new Helm(dir).lint();
        return strict ? lint.strict().call() : lint.call();
    }

    /** Renders with the chart's defaults plus {@code key=value} overrides (Helm's --set syntax). */
    Manifests render(String... sets) {
        return new Manifests(template(null, sets).call());
    }

    /** Renders with a values file plus {@code key=value} overrides. */
    Manifests render(Path valuesFile, String... sets) {
        return new Manifests(template(valuesFile, sets).call());
    }

    /** Renders a values file written on the spot, for values --set cannot express. */
    Manifests renderYaml(Path scratchDir, String valuesYaml) {
        return render(writeValues(scratchDir, valuesYaml));
    }

    /** Asserts that rendering fails and returns Helm's message. */
    String renderFailure(String... sets) {
        TemplateCommand command = template(null, sets);
        return assertThrows(IllegalStateException.class, command::call, "rendering should fail")
                .getMessage();
    }

    /** Asserts that rendering a values file written on the spot fails and returns the message. */
    String renderYamlFailure(Path scratchDir, String valuesYaml) {
        TemplateCommand command = template(writeValues(scratchDir, valuesYaml));
        return assertThrows(IllegalStateException.class, command::call, "rendering should fail")
                .getMessage();
    }

    private TemplateCommand template(Path valuesFile, String... sets) {
        TemplateCommand command = new Helm(dir)
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (String set : sets) {
            int eq = set.indexOf('=');
            command = command.set(set.substring(0, eq), set.substring(eq + 1));
        }
        return command;
    }

    private static Path writeValues(Path scratchDir, String valuesYaml) {
        try {
            return Files.writeString(Files.createTempFile(scratchDir, "values", ".yaml"), valuesYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
