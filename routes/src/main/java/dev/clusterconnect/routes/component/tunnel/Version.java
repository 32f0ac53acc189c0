package dev.clusterconnect.routes.component.tunnel;

/** The version of this build, from the jar manifest when there is one. */
public final class Version {

    private Version() {}

    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
