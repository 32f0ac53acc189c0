package dev.clusterconnect.sandbox.proto;

import java.util.HashMap;
import java.util.Map;

/**
 * Field numbers of the Kubernetes protobuf messages that kubectl's typed clients send (field
 * numbers from the {@code generated.proto} files of k8s.io/api). Only what {@code kubectl create},
 * {@code run}, {@code expose} and {@code auth} produce is described; unknown fields are skipped.
 */
final class ProtoSchemas {

    /** How a field's bytes become JSON. */
    enum Type {
        STRING,
        BYTES,
        INT,
        BOOL,
        MESSAGE,
        STRING_MAP,
        BYTES_MAP,
        QUANTITY_MAP,
        TIME,
        INT_OR_STRING,
        QUANTITY
    }

    /**
     * One field.
     *
     * @param name JSON name
     * @param type how to decode it
     * @param repeated whether it is a list
     * @param message the message name for {@link Type#MESSAGE}
     */
    record Field(String name, Type type, boolean repeated, String message) {}

    private static final Map<String, Map<Integer, Field>> MESSAGES = new HashMap<>();

    static {
        message(
                "ObjectMeta",
                1,
                "name",
                Type.STRING,
                2,
                "generateName",
                Type.STRING,
                3,
                "namespace",
                Type.STRING,
                5,
                "uid",
                Type.STRING,
                6,
                "resourceVersion",
                Type.STRING,
                7,
                "generation",
                Type.INT,
                8,
                "creationTimestamp",
                Type.TIME,
                11,
                "labels",
                Type.STRING_MAP,
                12,
                "annotations",
                Type.STRING_MAP);
        list("ObjectMeta", 14, "finalizers", Type.STRING, null);
        message(
                "ConfigMap",
                1,
                "metadata",
                "ObjectMeta",
                2,
                "data",
                Type.STRING_MAP,
                3,
                "binaryData",
                Type.BYTES_MAP,
                4,
                "immutable",
                Type.BOOL);
        message(
                "Secret",
                1,
                "metadata",
                "ObjectMeta",
                2,
                "data",
                Type.BYTES_MAP,
                3,
                "type",
                Type.STRING,
                4,
                "stringData",
                Type.STRING_MAP,
                5,
                "immutable",
                Type.BOOL);
        message("Namespace", 1, "metadata", "ObjectMeta", 2, "spec", "NamespaceSpec");
        list("NamespaceSpec", 1, "finalizers", Type.STRING, null);
        message("ServiceAccount", 1, "metadata", "ObjectMeta");
        message("Pod", 1, "metadata", "ObjectMeta", 2, "spec", "PodSpec");
        message("PodTemplateSpec", 1, "metadata", "ObjectMeta", 2, "spec", "PodSpec");
        message(
                "PodSpec",
                3,
                "restartPolicy",
                Type.STRING,
                4,
                "terminationGracePeriodSeconds",
                Type.INT,
                6,
                "dnsPolicy",
                Type.STRING,
                7,
                "nodeSelector",
                Type.STRING_MAP,
                8,
                "serviceAccountName",
                Type.STRING,
                10,
                "nodeName",
                Type.STRING,
                11,
                "hostNetwork",
                Type.BOOL,
                16,
                "hostname",
                Type.STRING,
                19,
                "schedulerName",
                Type.STRING);
        list("PodSpec", 2, "containers", Type.MESSAGE, "Container");
        list("PodSpec", 20, "initContainers", Type.MESSAGE, "Container");
        message(
                "Container",
                1,
                "name",
                Type.STRING,
                2,
                "image",
                Type.STRING,
                5,
                "workingDir",
                Type.STRING,
                8,
                "resources",
                "ResourceRequirements",
                13,
                "terminationMessagePath",
                Type.STRING,
                14,
                "imagePullPolicy",
                Type.STRING,
                16,
                "stdin",
                Type.BOOL,
                17,
                "stdinOnce",
                Type.BOOL,
                18,
                "tty",
                Type.BOOL,
                20,
                "terminationMessagePolicy",
                Type.STRING);
        list("Container", 3, "command", Type.STRING, null);
        list("Container", 4, "args", Type.STRING, null);
        list("Container", 6, "ports", Type.MESSAGE, "ContainerPort");
        list("Container", 7, "env", Type.MESSAGE, "EnvVar");
        message(
                "ContainerPort",
                1,
                "name",
                Type.STRING,
                2,
                "hostPort",
                Type.INT,
                3,
                "containerPort",
                Type.INT,
                4,
                "protocol",
                Type.STRING,
                5,
                "hostIP",
                Type.STRING);
        message("EnvVar", 1, "name", Type.STRING, 2, "value", Type.STRING);
        message("ResourceRequirements", 1, "limits", Type.QUANTITY_MAP, 2, "requests", Type.QUANTITY_MAP);
        message("Service", 1, "metadata", "ObjectMeta", 2, "spec", "ServiceSpec");
        message(
                "ServiceSpec",
                2,
                "selector",
                Type.STRING_MAP,
                3,
                "clusterIP",
                Type.STRING,
                4,
                "type",
                Type.STRING,
                7,
                "sessionAffinity",
                Type.STRING,
                10,
                "externalName",
                Type.STRING);
        list("ServiceSpec", 1, "ports", Type.MESSAGE, "ServicePort");
        message(
                "ServicePort",
                1,
                "name",
                Type.STRING,
                2,
                "protocol",
                Type.STRING,
                3,
                "port",
                Type.INT,
                4,
                "targetPort",
                Type.INT_OR_STRING,
                5,
                "nodePort",
                Type.INT);
        message("Deployment", 1, "metadata", "ObjectMeta", 2, "spec", "DeploymentSpec");
        message(
                "DeploymentSpec",
                1,
                "replicas",
                Type.INT,
                2,
                "selector",
                "LabelSelector",
                3,
                "template",
                "PodTemplateSpec",
                4,
                "strategy",
                "DeploymentStrategy",
                5,
                "minReadySeconds",
                Type.INT,
                6,
                "revisionHistoryLimit",
                Type.INT,
                7,
                "paused",
                Type.BOOL,
                9,
                "progressDeadlineSeconds",
                Type.INT);
        message("LabelSelector", 1, "matchLabels", Type.STRING_MAP);
        list("LabelSelector", 2, "matchExpressions", Type.MESSAGE, "LabelSelectorRequirement");
        message("LabelSelectorRequirement", 1, "key", Type.STRING, 2, "operator", Type.STRING);
        list("LabelSelectorRequirement", 3, "values", Type.STRING, null);
        message("DeploymentStrategy", 1, "type", Type.STRING, 2, "rollingUpdate", "RollingUpdateDeployment");
        message("RollingUpdateDeployment", 1, "maxUnavailable", Type.INT_OR_STRING, 2, "maxSurge", Type.INT_OR_STRING);
        message("SelfSubjectReview", 1, "metadata", "ObjectMeta");
        message("SelfSubjectAccessReview", 1, "metadata", "ObjectMeta", 2, "spec", "SelfSubjectAccessReviewSpec");
        message(
                "SelfSubjectAccessReviewSpec",
                1,
                "resourceAttributes",
                "ResourceAttributes",
                2,
                "nonResourceAttributes",
                "NonResourceAttributes");
        message(
                "ResourceAttributes",
                1,
                "namespace",
                Type.STRING,
                2,
                "verb",
                Type.STRING,
                3,
                "group",
                Type.STRING,
                4,
                "version",
                Type.STRING,
                5,
                "resource",
                Type.STRING,
                6,
                "subresource",
                Type.STRING,
                7,
                "name",
                Type.STRING);
        message("NonResourceAttributes", 1, "path", Type.STRING, 2, "verb", Type.STRING);
    }

    private ProtoSchemas() {}

    /** The fields of a message by number; empty for unknown messages. */
    static Map<Integer, Field> fields(String message) {
        return MESSAGES.getOrDefault(message, Map.of());
    }

    /** Whether the kind can be decoded. */
    static boolean knows(String kind) {
        return MESSAGES.containsKey(kind);
    }

    /** Declares fields as (number, name, Type or message name) triples. */
    private static void message(String message, Object... triples) {
        Map<Integer, Field> fields = MESSAGES.computeIfAbsent(message, m -> new HashMap<>());
        for (int i = 0; i < triples.length; i += 3) {
            Object type = triples[i + 2];
            Field field = type instanceof Type t
                    ? new Field((String) triples[i + 1], t, false, null)
                    : new Field((String) triples[i + 1], Type.MESSAGE, false, (String) type);
            fields.put((Integer) triples[i], field);
        }
    }

    private static void list(String message, int number, String name, Type type, String elementMessage) {
        MESSAGES.computeIfAbsent(message, m -> new HashMap<>())
                .put(number, new Field(name, type, true, elementMessage));
    }
}
