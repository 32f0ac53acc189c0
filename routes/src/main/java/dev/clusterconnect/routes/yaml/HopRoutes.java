package dev.clusterconnect.routes.yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * An app's routes: the built-in ones (YAML files in the jar, and Java builders), and the
 * operator's route files from a directory, which win by route id.
 *
 * <p>A route in an operator's file whose id is a built-in route's id replaces that route; a route
 * with a new id is added (each hop calls {@code direct:<hop id>-extra-steps}, so a route from that
 * endpoint adds steps to a hop without copying it). Two operator routes with one id, a file that
 * does not parse, and a step ({@code process} or {@code bean} {@code ref}) naming no bean stop
 * start-up with a {@link RouteFileException} that names the file and, where Camel knows it, the
 * line. See {@code docs/yaml-routes.md}.
 */
public final class HopRoutes implements RoutesBuilder {

    /** Where the Helm charts mount the {@code routes:} values. */
    public static final String DEFAULT_DIRECTORY = "/etc/clusterconnect/routes";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HopRoutes.class);

    private final String app;
    private final List<String> builtInFiles;
    private final List<RouteBuilder> builtInBuilders;
    private final Map<String, List<String>> guardSteps;

    /**
     * @param app the property prefix: the operator's directory is {@code <app>.routes.dir}
     * @param builtInFiles the built-in YAML routes, as Camel resource locations ({@code classpath:...})
     * @param builtInBuilders built-in routes written in Java
     * @param guardSteps by route id, the steps a replacement of that route must keep, in this
     *     order, as steps of the route itself: the ones that authenticate and authorise
     */
    public HopRoutes(
            String app,
            List<String> builtInFiles,
            List<RouteBuilder> builtInBuilders,
            Map<String, List<String>> guardSteps) {
        this.app = app;
        this.builtInFiles = List.copyOf(builtInFiles);
        this.builtInBuilders = List.copyOf(builtInBuilders);
        this.guardSteps = Map.copyOf(guardSteps);
    }

    @Override
    public void addRoutesToCamelContext(CamelContext context) throws Exception {
        List<RouteBuilder> builtIns = new ArrayList<>(builtInBuilders);
        for (String location : builtInFiles) {
            Resource resource = PluginHelper.getResourceLoader(context).resolveResource(location);
            if (resource == null || !resource.exists()) {
                throw new IllegalStateException("built-in routes " + location + " are missing from the jar");
            }
            builtIns.addAll(load(context, resource, location));
        }
        Set<String> builtInIds = new java.util.HashSet<>();
        for (RouteBuilder builder : builtIns) {
            for (RouteDefinition route : builder.configureRoutes(context).getRoutes()) {
                builtInIds.add(route.getRouteId());
                // the built-in hops pass their own guards: a misspelt guard list fails every start
                checkGuards(route, describe(builder));
            }
        }

        List<RouteBuilder> operators = new ArrayList<>();
        Map<String, String> operatorIds = new LinkedHashMap<>();
        for (Path file : operatorFiles(context)) {
            Resource resource =
                    PluginHelper.getResourceLoader(context).resolveResource("file:" + file.toAbsolutePath());
            for (RouteBuilder builder : load(context, resource, file.toString())) {
                List<RouteDefinition> routes = configure(context, builder, file);
                for (RouteDefinition route : routes) {
                    String id = route.getRouteId();
                    if (id != null && operatorIds.containsKey(id)) {
                        throw new RouteFileException(file + ": route id " + id + " is also used in "
                                + operatorIds.get(id) + "; an id names one route");
                    }
                    if (id != null) {
                        operatorIds.put(id, file.toString());
                    }
                    checkSteps(context, route, file.toString());
                    checkGuards(route, file.toString());
                    LOG.info(
                            "{}: route {} from {}",
                            app,
                            id == null ? "(no id)" : id,
                            builtInIds.contains(id) ? file + " replaces the built-in one" : file);
                }
                operators.add(builder);
            }
        }

        for (RouteBuilder builder : builtIns) {
            builder.getRouteCollection().getRoutes().removeIf(route -> operatorIds.containsKey(route.getRouteId()));
            builder.addRoutesToCamelContext(context);
        }
        for (RouteBuilder builder : operators) {
            builder.addRoutesToCamelContext(context);
        }
    }

    /**
     * Runs an app's Camel Main; a route file it cannot use ends the process with one ERROR line
     * naming the file and line (and exit code 1), not a stack trace.
     */
    public static void run(String app, org.apache.camel.main.Main main, String[] args) throws Exception {
        try {
            main.run(args);
        } catch (RouteFileException e) {
            org.slf4j.LoggerFactory.getLogger(HopRoutes.class).error("{} cannot start: {}", app, e.getMessage());
            System.exit(1);
        }
    }

    @Override
    public void addTemplatedRoutesToCamelContext(CamelContext context) throws Exception {
        // the built-in and operator builders add their templated routes with their routes
    }

    @Override
    public Set<String> updateRoutesToCamelContext(CamelContext context) {
        throw new UnsupportedOperationException("routes are read at start-up; restart the app to change them");
    }

    /** The operator's route files, by name: {@code *.yaml} and {@code *.yml}, hidden files left out. */
    private List<Path> operatorFiles(CamelContext context) throws IOException {
        String key = app + ".routes.dir";
        Optional<String> configured = context.getPropertiesComponent()
                .resolveProperty(key)
                .map(String::strip)
                .filter(dir -> !dir.isEmpty());
        Path directory = Path.of(configured.orElse(DEFAULT_DIRECTORY));
        if (!Files.isDirectory(directory)) {
            // the charts mount the default; elsewhere it need not exist. Any other must: a typo fails here.
            if (!directory.equals(Path.of(DEFAULT_DIRECTORY))) {
                throw new RouteFileException(key + " names " + directory + ", which is not a directory");
            }
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            // A mounted ConfigMap also holds "..data" and "..2026_..." entries: hidden, left out.
            return entries.filter(file -> !file.getFileName().toString().startsWith("."))
                    .filter(file -> file.getFileName().toString().endsWith(".yaml")
                            || file.getFileName().toString().endsWith(".yml"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }

    private static List<RouteBuilder> load(CamelContext context, Resource resource, String name) throws Exception {
        Collection<RoutesBuilder> found;
        try {
            found = PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(resource));
        } catch (Exception e) {
            throw new RouteFileException(where(name, e) + ": " + problem(e), e);
        }
        List<RouteBuilder> builders = new ArrayList<>();
        for (RoutesBuilder builder : found) {
            if (!(builder instanceof RouteBuilder routeBuilder)) {
                throw new RouteFileException(name + ": not a routes file Camel can read here");
            }
            builders.add(routeBuilder);
        }
        return builders;
    }

    /** Camel's YAML DSL parses the file only here, when the builder is configured. */
    private static List<RouteDefinition> configure(CamelContext context, RouteBuilder builder, Path file) {
        try {
            return builder.configureRoutes(context).getRoutes();
        } catch (Exception e) {
            throw new RouteFileException(where(file.toString(), e) + ": " + problem(e), e);
        }
    }

    /** Every {@code process} and {@code bean} step that names a bean must find one. */
    private static void checkSteps(CamelContext context, RouteDefinition route, String file) {
        List<ProcessorDefinition<?>> pending = new ArrayList<>(route.getOutputs());
        while (!pending.isEmpty()) {
            ProcessorDefinition<?> step = pending.remove(pending.size() - 1);
            String ref = step instanceof ProcessDefinition process
                    ? process.getRef()
                    : step instanceof BeanDefinition bean ? bean.getRef() : null;
            if (ref != null && !ref.contains("{{") && context.getRegistry().lookupByName(ref) == null) {
                String which = route.getRouteId() == null ? "a route without an id" : "route " + route.getRouteId();
                throw new RouteFileException(file + lineOf(step) + ": " + which + " names step " + ref
                        + ", which is not a bean here; the steps are: " + String.join(", ", stepNames(context)));
            }
            pending.addAll(step.getOutputs());
        }
    }

    /**
     * A replacement of a hop keeps that hop's guard steps, in order: a route file may add steps
     * around them, never drop authentication or the removal of a client's identity headers.
     */
    private void checkGuards(RouteDefinition route, String file) {
        List<String> required =
                route.getRouteId() == null ? List.of() : guardSteps.getOrDefault(route.getRouteId(), List.of());
        List<String> present = route.getOutputs().stream()
                .filter(ProcessDefinition.class::isInstance)
                .map(step -> ((ProcessDefinition) step).getRef())
                .toList();
        int next = 0;
        for (String step : present) {
            if (next < required.size() && required.get(next).equals(step)) {
                next++;
            }
        }
        if (next < required.size()) {
            throw new RouteFileException(
                    file + lineOf(route) + ": route " + route.getRouteId() + " is a hop that must keep its steps "
                            + String.join(", ", required) + " in that order, each a step of the route itself; "
                            + required.get(next)
                            + (present.contains(required.get(next)) ? " is out of order" : " is missing"));
        }
    }

    private static Set<String> stepNames(CamelContext context) {
        return new TreeSet<>(
                context.getRegistry().findByTypeWithName(Processor.class).keySet());
    }

    private static String lineOf(NamedNode step) {
        // Camel's YAML DSL keeps the parser's line index, which counts from 0
        return step.getLineNumber() >= 0 ? ", line " + (step.getLineNumber() + 1) : "";
    }

    private static String where(String location, Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYamlEngineException marked) {
                Optional<Mark> mark = marked.getProblemMark().or(marked::getContextMark);
                if (mark.isPresent()) {
                    return location + ", line " + (mark.get().getLine() + 1) + ", column "
                            + (mark.get().getColumn() + 1);
                }
            }
        }
        return location;
    }

    /** The innermost message that says something, without YAML's own excerpt of the file. */
    private static String problem(Throwable e) {
        String message = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYamlEngineException marked && marked.getProblem() != null) {
                return marked.getProblem().strip();
            }
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                message = cause.getMessage().strip();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static String describe(RouteBuilder builder) {
        return builder.getResource() != null
                ? builder.getResource().getLocation()
                : builder.getClass().getSimpleName();
    }
}
