package dev.clusterconnect.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clusterconnect.packaging.ImageTar;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each chart runs the image Jib builds (ImageTest) as that image expects: its entrypoint (the
 * chart sets no command), its user, its ports, its repository name, a writable /tmp.
 */
class ChartImageTest {

    private static Chart chart(String app) {
        return app.equals("relay") ? Chart.RELAY : Chart.AGENT;
    }

    /** The full values as well as the defaults: neither may set a command. */
    private static Manifests render(String app, boolean full) {
        Chart chart = chart(app);
        return full ? chart.render(chart.fullValues()) : chart.render();
    }

    @ParameterizedTest
    @CsvSource({"relay, false", "relay, true", "agent, false", "agent, true"})
    void theChartRunsTheImagesEntrypointAsItsUser(String app, boolean full) {
        ImageTar image = ImageTar.of(app);
        Manifests manifests = render(app, full);
        Container container = manifests.container();
        assertThat(container.getCommand())
                .as("command: the image's entrypoint runs")
                .isEmpty();
        assertThat(container.getArgs()).as("args").isEmpty();
        PodSecurityContext pod = manifests.podSpec().getSecurityContext();
        assertEquals(image.user(), pod.getRunAsUser() + ":" + pod.getRunAsGroup(), "runAsUser:runAsGroup");
        // the full values move the health port; the image declares the chart's default ports
        for (ContainerPort port : container.getPorts()) {
            if (!full || port.getName().equals("https")) {
                assertThat(image.exposedPorts())
                        .as("the image exposes port " + port.getName())
                        .contains(port.getContainerPort() + "/tcp");
            }
        }
        if (Boolean.TRUE.equals(container.getSecurityContext().getReadOnlyRootFilesystem())) {
            assertThat(manifests.mountHolding("/tmp/hsperfdata_clusterconnect"))
                    .as("a writable /tmp over the read-only root")
                    .isPresent();
        }
    }

    @ParameterizedTest
    @CsvSource({"relay", "agent"})
    void theChartsRepositoryIsTheImagesName(String app) {
        String repository = render(app, false).container().getImage().replaceFirst(":[^:/]*$", "");
        assertThat(ImageTar.of(app).repoTags()).allMatch(tag -> tag.startsWith(repository + ":"));
    }
}
