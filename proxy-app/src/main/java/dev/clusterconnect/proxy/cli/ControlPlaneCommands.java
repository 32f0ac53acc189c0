package dev.clusterconnect.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The relay's control plane from the command line: connect, list, show, delete, grant, revoke. */
final class ControlPlaneCommands {

    private ControlPlaneCommands() {}

    /** What every control-plane verb needs: the relay and the caller's token. */
    abstract static class RelayVerb implements Callable<Integer> {
        @Mixin
        RelayOptions relay;

        @Mixin
        TokenOptions tokens;

        RelayApi api() {
            return new RelayApi(relay, tokens);
        }

        static String segment(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    @Command(
            name = "connect",
            mixinStandardHelpOptions = true,
            description =
                    "Register a cluster (you become its owner); prints its id and the helm install line for its agent.")
    static final class Connect extends RelayVerb {
        @Option(names = "--name", required = true, description = "A name for the cluster (a DNS label).")
        String name;

        @Override
        public Integer call() {
            JsonNode cluster = api().post("/api/v1/clusters", Map.of("name", name));
            System.out.printf(
                    "cluster %s registered with id %s; its bootstrap token expires at %s.%n",
                    cluster.path("name").asText(),
                    cluster.path("id").asText(),
                    cluster.path("bootstrapExpiresAt").asText());
            System.out.println("Install the agent in the cluster with:");
            System.out.println("  " + cluster.path("helmInstall").asText());
            return ExitCode.OK;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "The clusters you may reach, with their connection status.")
    static final class ListClusters extends RelayVerb {
        @Override
        public Integer call() {
            JsonNode clusters = api().get("/api/v1/clusters");
            JsonNode items = clusters.isArray() ? clusters : clusters.path("items");
            System.out.printf("%-24s %-20s %-20s %-10s %s%n", "ID", "NAME", "OWNER", "CONNECTED", "RELAY");
            for (JsonNode cluster : items) {
                System.out.printf(
                        "%-24s %-20s %-20s %-10s %s%n",
                        cluster.path("id").asText(),
                        cluster.path("name").asText(),
                        cluster.path("owner").asText(),
                        cluster.path("connected").asBoolean() ? "yes" : "no",
                        relays(cluster));
            }
            return ExitCode.OK;
        }
    }

    /** The relay replicas holding the cluster's tunnels, or "-" while it is disconnected. */
    static String relays(JsonNode cluster) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        cluster.path("relays").forEach(id -> ids.add(id.asText()));
        return ids.isEmpty() ? "-" : String.join(",", ids);
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One cluster, with its status and grants.")
    static final class Show extends RelayVerb {
        @Option(names = "--cluster", required = true, paramLabel = "ID")
        String cluster;

        @Override
        public Integer call() throws Exception {
            RelayApi api = api();
            JsonNode details = api.get("/api/v1/clusters/" + segment(cluster));
            JsonNode grants = api.get("/api/v1/clusters/" + segment(cluster) + "/grants");
            var out = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            out.set("cluster", details);
            out.set("grants", grants);
            System.out.println(out.toPrettyString());
            return ExitCode.OK;
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Remove a cluster you own (its agent can no longer connect).")
    static final class Delete extends RelayVerb {
        @Option(names = "--cluster", required = true, paramLabel = "ID")
        String cluster;

        @Override
        public Integer call() {
            api().delete("/api/v1/clusters/" + segment(cluster));
            System.out.println("cluster " + cluster + " deleted");
            return ExitCode.OK;
        }
    }

    /** Exactly one subject: a user or a group. */
    static final class Subject {
        @Option(names = "--user", paramLabel = "NAME", description = "A user name as the relay maps it.")
        String user;

        @Option(names = "--group", paramLabel = "NAME", description = "A group name as the relay maps it.")
        String group;

        String kind() {
            return user != null ? "USER" : "GROUP";
        }

        String name() {
            return user != null ? user : group;
        }
    }

    @Command(
            name = "grant",
            mixinStandardHelpOptions = true,
            description = "Let a user or a group reach a cluster you own.")
    static final class Grant extends RelayVerb {
        @Option(names = "--cluster", required = true, paramLabel = "ID")
        String cluster;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Subject subject;

        @Override
        public Integer call() {
            api().post(
                            "/api/v1/clusters/" + segment(cluster) + "/grants",
                            Map.of("kind", subject.kind(), "subject", subject.name()));
            System.out.printf("%s %s may reach cluster %s%n", subject.kind().toLowerCase(), subject.name(), cluster);
            return ExitCode.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Take a grant back.")
    static final class Revoke extends RelayVerb {
        @Option(names = "--cluster", required = true, paramLabel = "ID")
        String cluster;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Subject subject;

        @Override
        public Integer call() {
            api().delete("/api/v1/clusters/" + segment(cluster) + "/grants/" + subject.kind() + "/"
                    + segment(subject.name()));
            System.out.printf(
                    "%s %s may no longer reach cluster %s%n", subject.kind().toLowerCase(), subject.name(), cluster);
            return ExitCode.OK;
        }
    }
}
