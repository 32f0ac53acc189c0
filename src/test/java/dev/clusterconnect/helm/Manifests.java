package dev.clusterconnect.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The objects one {@code helm template} run produced, each parsed into its fabric8 model class. A
 * document fabric8 cannot map onto a typed class (misspelt kind, wrong apiVersion) fails parsing.
 */
final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private final List<HasMetadata> objects = new ArrayList<>();

    Manifests(String renderedYaml) {
        for (String document : DOCUMENT_SEPARATOR.split(renderedYaml)) {
            if (hasContent(document)) {
                objects.add(parse(document));
            }
        }
    }

    private static boolean hasContent(String document) {
        return document.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
    }

    private static HasMetadata parse(String document) {
        KubernetesResource parsed = SERIALIZATION.unmarshal(document, KubernetesResource.class);
        if (!(parsed instanceof HasMetadata object) || parsed instanceof GenericKubernetesResource) {
            throw new AssertionError("not a known Kubernetes kind:\n" + document);
        }
        return object;
    }

    List<HasMetadata> all() {
        return List.copyOf(objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The only object of a type; fails if there are none or several. */
    <T extends HasMetadata> T one(Class<T> type) {
        List<T> matches = all(type);
        assertEquals(1, matches.size(), () -> "expected exactly one " + type.getSimpleName());
        return matches.get(0);
    }

    /** The ConfigMap that holds {@code application.properties} (route files have one of their own). */
    ConfigMap config() {
        List<ConfigMap> matches = all(ConfigMap.class).stream()
                .filter(map -> map.getData() != null && map.getData().containsKey("application.properties"))
                .toList();
        assertEquals(1, matches.size(), "expected exactly one ConfigMap with application.properties");
        return matches.get(0);
    }

    PodSpec podSpec() {
        return one(Deployment.class).getSpec().getTemplate().getSpec();
    }

    Container container() {
        List<Container> containers = podSpec().getContainers();
        assertEquals(1, containers.size(), "one container per pod");
        return containers.get(0);
    }

    /** The chart's {@code application.properties}, read the way the application reads it. */
    Properties applicationProperties() {
        String text = config().getData().get("application.properties");
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The volume whose mount in the container holds {@code file}; fails if none does. */
    Volume volumeHolding(String file) {
        VolumeMount mount = mountHolding(file).orElseGet(() -> fail("no volume mounted over " + file));
        return podSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseGet(() -> fail("mount " + mount.getName() + " has no volume"));
    }

    Optional<VolumeMount> mountHolding(String file) {
        return container().getVolumeMounts().stream()
                .filter(m -> file.equals(m.getMountPath()) || file.startsWith(m.getMountPath() + "/"))
                .findFirst();
    }
}
