package dev.clusterconnect.e2e;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs e2e test classes in a JVM of their own and prints one {@code RESULT} line per test and per
 * class that did not pass: how {@link RealModeAgainstAnExternalApiserverTest} runs scenarios in
 * real mode, which the suite reads from the environment once, when {@link Chain} loads.
 *
 * <pre>java -cp ... dev.clusterconnect.e2e.RealModeRun dev.clusterconnect.e2e.KubectlThroughTheChainTest</pre>
 */
final class RealModeRun {

    private RealModeRun() {}

    public static void main(String[] classes) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(classes)
                        .map(DiscoverySelectors::selectClass)
                        .toList())
                .build();
        AtomicInteger failed = new AtomicInteger();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                System.out.println("RESULT SKIPPED " + name(test) + " : " + reason);
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!test.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                    return;
                }
                if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                    failed.incrementAndGet();
                }
                String why =
                        result.getThrowable().map(t -> " : " + t).orElse("").replace('\n', ' ');
                System.out.println("RESULT " + result.getStatus() + " " + name(test) + why);
                result.getThrowable()
                        .filter(t -> result.getStatus() == TestExecutionResult.Status.FAILED)
                        .ifPresent(Throwable::printStackTrace);
            }
        });
        printLeftNamespaces();
        System.out.flush();
        System.exit(failed.get() == 0 ? 0 : 1);
    }

    /**
     * The suite's namespaces still there once every class ended, before this JVM's shutdown hooks
     * (the back-stop for killed runs) delete them: each chain must have removed its own on closing.
     */
    private static void printLeftNamespaces() {
        if (Chain.REAL_CLUSTER == null) {
            return;
        }
        try {
            Kubectl.Result left = new Kubectl(Kubectl.DEFAULT, RealCluster.adminKubeconfig())
                    .run("get", "namespaces", "-l", RealCluster.LABEL, "-o", "name")
                    .ok();
            left.out().lines().forEach(namespace -> System.out.println("RESULT LEFT " + namespace));
        } catch (Exception | AssertionError e) {
            System.out.println("RESULT LEFT unknown: " + e);
        }
    }

    /** {@code Class#method[index]} or {@code Class}. */
    private static String name(TestIdentifier test) {
        return test.getSource()
                .map(source -> {
                    if (source instanceof MethodSource method) {
                        String simple = method.getClassName()
                                .substring(method.getClassName().lastIndexOf('.') + 1);
                        String index = test.getDisplayName().startsWith("[")
                                ? test.getDisplayName().split(" ")[0]
                                : "";
                        return simple + "#" + method.getMethodName() + index;
                    }
                    if (source instanceof ClassSource type) {
                        return type.getJavaClass().getSimpleName();
                    }
                    return test.getDisplayName();
                })
                .orElse(test.getDisplayName());
    }
}
