package org.manifoldlab.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * The server's routes, all GET:
 * <pre>
 *   /                              the runs page          /api/runs            every run's row and every sweep
 *   /run?id=RUN                    a run's page           /api/run?id=RUN      the run page's data
 *   /sweep?id=SWEEP                a sweep's page         /api/sweep?id=SWEEP  its members' rows and curves
 *   /assets/NAME                   scripts and styles     /api/events          server-sent events: the runs page's changes
 *   /files/N/RUN/PATH              a file of a run (N: the segments of RUN, 1 or 2)
 *                                                         /api/run/events?id=RUN, /api/sweep/events?id=SWEEP
 * </pre>
 * Nothing here writes to the runs directory.
 */
final class Routes extends AllDirectives {

    /** Events a slow page has not taken yet; past this its stream ends and the page reconnects (and reloads its data). */
    static final int PAGE_BUFFER = 512;
    static final Duration ASK_TIMEOUT = Duration.ofSeconds(20);
    static final List<String> ASSETS = List.of("app.js", "charts.js", "runs.js", "run.js", "sweep.js", "style.css");

    private final ActorSystem<?> system;
    private final ActorRef<Catalog.Command> catalog;
    private final Path root;

    Routes(ActorSystem<?> system, ActorRef<Catalog.Command> catalog, Path root) {
        this.system = system;
        this.catalog = catalog;
        this.root = root.toAbsolutePath().normalize();
    }

    Route route() {
        return get(() -> concat(
                pathSingleSlash(() -> page("runs.html")),
                path("run", () -> page("run.html")),
                path("sweep", () -> page("sweep.html")),
                pathPrefix("assets", () -> path(PathMatchers.segment(), this::asset)),
                pathPrefix("api", () -> concat(
                        path("runs", () -> ask(Catalog.GetRuns::new)),
                        path("events", () -> events(Catalog.SubscribeRuns::new)),
                        pathPrefix("run", () -> parameter("id", id -> concat(
                                pathEnd(() -> ask(r -> new Catalog.GetRun(id, r))),
                                path("events", () -> events(p -> new Catalog.SubscribeRun(id, p)))))),
                        pathPrefix("sweep", () -> parameter("id", id -> concat(
                                pathEnd(() -> ask(r -> new Catalog.GetSweep(id, r))),
                                path("events", () -> events(p -> new Catalog.SubscribeSweep(id, p)))))))),
                pathPrefix("files", () -> pathPrefix(PathMatchers.integerSegment(), n -> extractUnmatchedPath(rest -> file(n, rest))))));
    }

    private Route page(String name) {
        return asset(name);
    }

    /** A file bundled in the jar (org/manifoldlab/serve/web/NAME); the page needs nothing from outside. */
    private Route asset(String name) {
        boolean known = ASSETS.contains(name) || List.of("runs.html", "run.html", "sweep.html").contains(name);
        if (!known) {
            return complete(StatusCodes.NOT_FOUND, "no asset " + name);
        }
        try (InputStream in = Routes.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                return complete(StatusCodes.NOT_FOUND, "no asset " + name);
            }
            return complete(HttpResponse.create().withEntity(HttpEntities.create(contentType(name), in.readAllBytes())));
        } catch (IOException e) {
            return complete(StatusCodes.INTERNAL_SERVER_ERROR, name + ": " + e.getMessage());
        }
    }

    private Route ask(Function<ActorRef<Reply>, Catalog.Command> question) {
        CompletionStage<Reply> answer = AskPattern.ask(catalog, question::apply, ASK_TIMEOUT, system.scheduler());
        return onComplete(answer, result -> {
            if (result.isFailure()) {
                return complete(StatusCodes.SERVICE_UNAVAILABLE, json(RunDirectoryJson.error("no answer: " + result.failed().get().getMessage())));
            }
            Reply r = result.get();
            return complete(StatusCodes.get(r.status()), json(r.json()));
        });
    }

    private static org.apache.pekko.http.javadsl.model.RequestEntity json(String body) {
        return HttpEntities.create(ContentTypes.APPLICATION_JSON, body);
    }

    /** A stream of server-sent events: an actor the catalog (or a follower) pushes to, ended when the page goes. */
    private Route events(Function<ActorRef<Push>, Catalog.Command> subscribe) {
        Pair<ActorRef<Push>, Source<Push, NotUsed>> source = ActorSource.<Push>actorRef(p -> p == Push.END, p -> Optional.empty(), PAGE_BUFFER,
                OverflowStrategy.fail()).preMaterialize(system);
        catalog.tell(subscribe.apply(source.first()));
        Source<ServerSentEvent, NotUsed> stream = source.second().map(p -> ServerSentEvent.create(p.json(), p.type()))
                .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat);
        return respondWithHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Cache-Control", "no-cache"),
                () -> completeOK(stream, EventStreamMarshalling.toEventStream()));
    }

    /** A file of a run: only files under the run's directory, read as they are. */
    private Route file(int segments, String rest) {
        String path = rest.startsWith("/") ? rest.substring(1) : rest;
        String[] parts = path.split("/");
        if (segments < 1 || segments > 2 || parts.length <= segments) {
            return complete(StatusCodes.NOT_FOUND, "expected /files/N/RUN/PATH with N the number of segments of RUN (1 or 2)");
        }
        String decoded = java.net.URLDecoder.decode(path, java.nio.charset.StandardCharsets.UTF_8);
        Path runDir = root.resolve(String.join("/", java.util.Arrays.copyOfRange(decoded.split("/"), 0, segments))).normalize();
        Path target = root.resolve(decoded).normalize();
        if (!runDir.startsWith(root) || runDir.equals(root) || !target.startsWith(runDir) || target.equals(runDir)) {
            return complete(StatusCodes.NOT_FOUND, "not a file of a run under " + root);
        }
        if (!Files.isRegularFile(target)) {
            return complete(StatusCodes.NOT_FOUND, "no file " + root.relativize(target));
        }
        return complete(HttpResponse.create().withEntity(HttpEntities.create(contentType(target.getFileName().toString()), target)));
    }

    private static final Map<String, ContentType> TYPES = Map.of(
            "html", ContentTypes.TEXT_HTML_UTF8,
            "js", MediaTypes.APPLICATION_JAVASCRIPT.toContentType(org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8),
            "css", MediaTypes.TEXT_CSS.toContentType(org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8),
            "json", ContentTypes.APPLICATION_JSON,
            "png", MediaTypes.IMAGE_PNG.toContentType(),
            "svg", MediaTypes.IMAGE_SVG_XML.toContentType());

    static ContentType contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return TYPES.getOrDefault(ext, ContentTypes.TEXT_PLAIN_UTF8);
    }
}
