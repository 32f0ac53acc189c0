package dev.clusterconnect.proxy.kubeconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Contexts carry the name the owner gave, and stay apart when two clusters share one. */
class ContextNamesTest {

    @Test
    void eachClusterIsNamedAfterItsNameAtTheRelayInTheOrderGiven() {
        assertEquals(
                List.of(Map.entry("Xq3vG1pQ", "clusterconnect-prod"), Map.entry("fQTLzYOd9", "clusterconnect-demo")),
                entries(ContextNames.of(
                        Map.of("fQTLzYOd9", "demo", "Xq3vG1pQ", "prod"), List.of("Xq3vG1pQ", "fQTLzYOd9"))));
    }

    @Test
    void twoClustersOfOneNameEachAddTheirIdEvenWhenOnlyOneIsWritten() {
        Map<String, String> reachable = Map.of("a1", "prod", "b2", "prod", "c3", "dev");

        assertEquals(
                List.of(Map.entry("a1", "clusterconnect-prod-a1")), entries(ContextNames.of(reachable, List.of("a1"))));
        assertEquals(
                List.of(Map.entry("b2", "clusterconnect-prod-b2"), Map.entry("c3", "clusterconnect-dev")),
                entries(ContextNames.of(reachable, List.of("b2", "c3"))));
    }

    @Test
    void aClusterTheRelayDidNotNameKeepsItsId() {
        assertEquals(
                List.of(Map.entry("z9", "clusterconnect-z9")),
                entries(ContextNames.of(Map.of("a1", "prod"), List.of("z9"))));
    }

    private static List<Map.Entry<String, String>> entries(Map<String, String> names) {
        return names.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue()))
                .toList();
    }
}
