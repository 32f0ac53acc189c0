package dev.clusterconnect.sandbox.kubectl;

import dev.clusterconnect.sandbox.SandboxApiServer;
import dev.clusterconnect.sandbox.SandboxConfig;
import java.nio.file.Path;

/** The users the tests talk as, and a server that knows them. */
public final class SandboxFixture {

    /** The agent's token: may impersonate. */
    public static final String AGENT_TOKEN = "agent-token";
    /** A plain user's token. */
    public static final String ALICE_TOKEN = "alice-token";
    /** A user denied everything. */
    public static final String BOB_TOKEN = "bob-token";

    private SandboxFixture() {}

    /** A builder with the three users, demo pods and TLS. */
    public static SandboxConfig.Builder builder() {
        return SandboxApiServer.builder()
                .token(AGENT_TOKEN, "system:serviceaccount:clusterconnect:agent", "system:serviceaccounts")
                .impersonator("system:serviceaccount:clusterconnect:agent")
                .token(ALICE_TOKEN, "alice", "dev")
                .token(BOB_TOKEN, "bob")
                .denyUser("bob")
                .demoPods(true);
    }

    /** kubectl as the agent. */
    public static Kubectl agent(SandboxApiServer server, Path dir) {
        return Kubectl.forServer(server, AGENT_TOKEN, dir);
    }
}
