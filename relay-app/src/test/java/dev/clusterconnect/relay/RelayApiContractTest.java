package dev.clusterconnect.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.RestOpenApiReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The relay's REST DSL (relay.camel.yaml) and the API's written contract,
 * docs/relay-api.openapi.yaml, name the same operations: the OpenAPI document Camel generates
 * from the running relay's REST definitions has exactly the written document's paths and methods.
 */
class RelayApiContractTest {

    static final Path CONTRACT = Path.of("..", "docs", "relay-api.openapi.yaml");

    @TempDir
    Path dir;

    @Test
    void theRestDslServesExactlyTheOperationsOfTheOpenApiDocument() throws Exception {
        TreeSet<String> generated;
        try (TestIssuer issuer = new TestIssuer(dir)) {
            TestRelay relay = TestRelay.start(dir, issuer, Map.of());
            try {
                generated = operations(generate(relay.main.getCamelContext()));
            } finally {
                relay.close();
            }
        }

        assertThat(generated).hasSize(RelayApplication.API_OPERATIONS.size()).isEqualTo(written());
    }

    private static OpenAPI generate(CamelContext camel) throws Exception {
        BeanConfig config = new BeanConfig();
        config.setVersion("3.0.3");
        return new RestOpenApiReader()
                .read(
                        camel,
                        camel.getCamelContextExtension()
                                .getContextPlugin(org.apache.camel.model.Model.class)
                                .getRestDefinitions(),
                        config,
                        camel.getName(),
                        camel.getClassResolver());
    }

    private static TreeSet<String> operations(OpenAPI api) {
        TreeSet<String> operations = new TreeSet<>();
        api.getPaths()
                .forEach((path, item) -> item.readOperationsMap()
                        .keySet()
                        .forEach((PathItem.HttpMethod method) -> operations.add(method.name() + " " + path)));
        return operations;
    }

    @SuppressWarnings("unchecked")
    private static TreeSet<String> written() throws Exception {
        Map<String, Object> document = (Map<String, Object>)
                new Load(LoadSettings.builder().build()).loadFromString(Files.readString(CONTRACT));
        TreeSet<String> operations = new TreeSet<>();
        ((Map<String, Map<String, Object>>) document.get("paths"))
                .forEach((path, item) -> item.keySet().stream()
                        .filter(key -> java.util.Set.of("get", "put", "post", "delete", "patch", "head", "options")
                                .contains(key))
                        .forEach(method -> operations.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path)));
        return operations;
    }
}
