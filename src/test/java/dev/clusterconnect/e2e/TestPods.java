package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Two running pods for the scenarios that need a kubelet (exec, attach, cp, logs, port-forward):
 * the sandbox's {@code demo-0} and {@code demo-1}, or on a real cluster two pods the suite starts
 * in its namespace. Each container echoes its stdin (attach), echoes every connection on port 8080
 * (port-forward) and logs a line a second naming itself (logs -f), as the sandbox's pods do.
 * When they do not become Ready within {@code CC_E2E_POD_TIMEOUT} seconds (120 by default) the
 * scenario is skipped, saying why: no node could run them.
 */
final class TestPods {

    static final String IMAGE = env("CC_E2E_POD_IMAGE", "busybox:1.36");
    private static final Duration READY_WITHIN = Duration.ofSeconds(Long.parseLong(env("CC_E2E_POD_TIMEOUT", "120")));
    private static final String SCRIPT = "nc -lk -p 8080 -e cat & "
            + "(i=0; while true; do i=$((i+1)); echo \"tick $i from $HOSTNAME\"; sleep 1; done) & exec cat";

    private final List<String> names;
    private final RealCluster cluster;
    private volatile boolean ready;

    private TestPods(List<String> names, RealCluster cluster) {
        this.names = names;
        this.cluster = cluster;
        this.ready = cluster == null;
    }

    /** The sandbox's demo pods. */
    static TestPods sandbox() {
        return new TestPods(List.of("demo-0", "demo-1"), null);
    }

    /** Starts two pods in the cluster's namespace; {@link #name} waits for them. */
    static TestPods create(RealCluster cluster) throws Exception {
        List<String> names = List.of("cc-e2e-0", "cc-e2e-1");
        for (String name : names) {
            ObjectNode pod = pod(name, cluster.namespace);
            // a new namespace's default ServiceAccount is made by a controller a moment after it; until then
            // the apiserver refuses pods ("serviceaccount \"default\" not found")
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        Kubectl.Result result = cluster.tryApply(pod);
                        if (result.exit() != 0 && !result.err().contains("serviceaccount")) {
                            throw new AssertionError("cannot create pod " + name + ": " + result.err());
                        }
                        return result.exit() == 0;
                    });
        }
        return new TestPods(names, cluster);
    }

    private static ObjectNode pod(String name, String namespace) {
        ObjectNode pod = RealCluster.object("v1", "Pod", name, namespace);
        ObjectNode spec = pod.putObject("spec").put("terminationGracePeriodSeconds", 1);
        ObjectNode container = spec.putArray("containers")
                .addObject()
                .put("name", "main")
                .put("image", IMAGE)
                .put("stdin", true);
        container.set("command", RealCluster.strings("sh", "-c", SCRIPT));
        container.putArray("ports").addObject().put("containerPort", 8080);
        // within the "restricted" Pod Security Standard, which some clusters enforce by default
        spec.putObject("securityContext")
                .put("runAsNonRoot", true)
                .put("runAsUser", 65534)
                .putObject("seccompProfile")
                .put("type", "RuntimeDefault");
        container
                .putObject("securityContext")
                .put("allowPrivilegeEscalation", false)
                .putObject("capabilities")
                .set("drop", RealCluster.strings("ALL"));
        return pod;
    }

    /** The name of pod {@code index} (0 or 1), once it runs; skips the scenario when it does not. */
    String name(int index) throws Exception {
        awaitReady();
        return names.get(index);
    }

    private void awaitReady() throws Exception {
        if (ready) {
            return;
        }
        try {
            await().atMost(READY_WITHIN).pollInterval(Duration.ofSeconds(1)).until(this::allReady);
            ready = true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Assumptions.abort(
                    "needs a kubelet: pods " + names + " (image " + IMAGE + ") in namespace " + cluster.namespace
                            + " were not Ready within " + READY_WITHIN.toSeconds() + " s (" + describe()
                            + "); set CC_E2E_POD_IMAGE to an image the nodes can pull, or CC_E2E_POD_TIMEOUT");
        }
    }

    private boolean allReady() throws Exception {
        for (String pod : names) {
            String ready = cluster.admin()
                    .run(
                            "get",
                            "pod",
                            pod,
                            "-n",
                            cluster.namespace,
                            "-o",
                            "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
                    .out();
            if (!ready.equals("True")) {
                return false;
            }
        }
        return true;
    }

    private String describe() throws Exception {
        return cluster.admin()
                .run(
                        "get",
                        "pods",
                        "-n",
                        cluster.namespace,
                        "-o",
                        "jsonpath={range .items[*]}{.metadata.name}: {.status.phase} "
                                + "{.status.containerStatuses[*].state.waiting.reason}; {end}")
                .out()
                .trim();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
