package org.manifoldlab.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;

/**
 * Follows one run directory: every tick it reads the bytes appended to events.jsonl since the
 * last (never the whole file again), and reads the manifest, spec and metrics again only when
 * their size or time changed. It tells the catalog the run's row when it changes, and pushes to
 * the run's open pages each new event and, when the metrics changed, the page's data again. A
 * directory it cannot read gives a row and a page that say why; the follower goes on looking.
 */
public final class RunFollower extends AbstractBehavior<RunFollower.Command> {

    public sealed interface Command {
    }

    /** Look at the directory again. */
    private enum Tick implements Command { INSTANCE }

    /** The server is stopping: the run's open pages' streams end. */
    enum EndPages implements Command { INSTANCE }

    /** A run page opened: it gets the page's data at once, then every change. */
    public record Subscribe(ActorRef<Push> page) implements Command {
    }

    /** The page's data, once. */
    public record GetDetail(ActorRef<Reply> replyTo) implements Command {
    }

    private record PageClosed(ActorRef<Push> page) implements Command {
    }

    /** How often a running run is looked at; a run that is not running is looked at every {@code idle}. */
    public record Intervals(Duration running, Duration idle) {
        public static final Intervals DEFAULT = new Intervals(Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    static final int RECENT_EVENTS = 40;
    static final int MAX_PROBLEMS = 10;

    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final String id;
    private final String sweep;
    private final RunDirectory run;
    private final ActorRef<Catalog.Command> catalog;
    private final Intervals intervals;
    private final EventsTail tail;
    private final Set<ActorRef<Push>> pages = new HashSet<>();
    private final ArrayDeque<JsonNode> recent = new ArrayDeque<>();
    private final ArrayDeque<String> eventProblems = new ArrayDeque<>();

    private JsonNode lastProgress;
    private int restarts;
    private String manifestSignature = "";
    private String specSignature = "";
    private String metricsSignature = "";
    private Manifest manifest;
    private JsonNode manifestJson;
    private JsonNode spec = RunDirectory.JSON.createObjectNode();
    private RunReader.Metrics metrics = RunReader.Metrics.NONE;
    private String fileProblem;
    private RunSummary summary;
    private String detailSignature;
    private com.fasterxml.jackson.databind.node.ObjectNode fromFiles;
    private String filesProblem;
    private boolean fast = true;

    public static Behavior<Command> create(String id, String sweep, RunDirectory run, ActorRef<Catalog.Command> catalog, Intervals intervals) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new RunFollower(ctx, timers, id, sweep, run, catalog, intervals)));
    }

    private RunFollower(ActorContext<Command> ctx, TimerScheduler<Command> timers, String id, String sweep, RunDirectory run,
                        ActorRef<Catalog.Command> catalog, Intervals intervals) {
        super(ctx);
        this.ctx = ctx;
        this.timers = timers;
        this.id = id;
        this.sweep = sweep;
        this.run = run;
        this.catalog = catalog;
        this.intervals = intervals;
        this.tail = new EventsTail(run.events());
        look();
        timers.startTimerWithFixedDelay(Tick.INSTANCE, intervals.running());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessageEquals(EndPages.INSTANCE, () -> {
                    pages.forEach(p -> p.tell(Push.END));
                    return this;
                })
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(GetDetail.class, this::onGetDetail)
                .onMessage(PageClosed.class, m -> {
                    pages.remove(m.page());
                    return this;
                })
                .build();
    }

    private Behavior<Command> onTick() {
        look();
        boolean running = summary != null && (Manifest.RUNNING.equals(summary.state()) || RunSummary.PENDING.equals(summary.state()));
        if (running != fast) {
            fast = running;
            timers.startTimerWithFixedDelay(Tick.INSTANCE, fast ? intervals.running() : intervals.idle());
        }
        return this;
    }

    private Behavior<Command> onSubscribe(Subscribe m) {
        if (pages.add(m.page())) {
            ctx.watchWith(m.page(), new PageClosed(m.page()));
        }
        m.page().tell(new Push("detail", detail()));
        return this;
    }

    private Behavior<Command> onGetDetail(GetDetail m) {
        m.replyTo().tell(Reply.ok(detail()));
        return this;
    }

    /** Reads what changed: the events appended, then the files whose signature moved (events first, so the metrics are at least as new). */
    private void look() {
        List<JsonNode> fresh = List.of();
        try {
            EventsTail.Poll poll = tail.poll();
            if (poll.restarted()) {
                restarts = 0;
                lastProgress = null;
                recent.clear();
                eventProblems.clear();
                pushAll(new Push("restarted", RunDirectoryJson.write(java.util.Map.of("file", run.events().toString()))));
            }
            fresh = poll.events();
            for (JsonNode e : fresh) {
                String type = e.path("type").asText();
                if (type.equals("trainer-failed") || type.equals("analyzer-restarted") || type.equals("attacker-restarted")) {
                    restarts++;
                } else if (type.equals("progress")) {
                    lastProgress = e;
                }
                recent.addLast(e);
                if (recent.size() > RECENT_EVENTS) {
                    recent.removeFirst();
                }
            }
            for (String p : poll.problems()) {
                eventProblems.addLast(p);
                if (eventProblems.size() > MAX_PROBLEMS) {
                    eventProblems.removeFirst();
                }
            }
        } catch (IOException e) {
            eventProblems.addLast(run.events() + ": cannot be read: " + RunReader.firstLine(e));
        }
        for (JsonNode e : fresh) {
            pushAll(new Push("event", RunDirectoryJson.write(e)));
        }
        RunSummary before = summary;
        readFiles();
        if (!summary.equals(before)) {
            catalog.tell(new Catalog.Updated(id, summary, metrics.curves()));
            pushAll(new Push("summary", RunDirectoryJson.write(summary)));
        }
        if (!pages.isEmpty() && !filesSignature().equals(detailSignature)) {
            pushAll(new Push("detail", detail()));
        }
    }

    private void readFiles() {
        String problem = null;
        String m = RunReader.signature(run.manifest());
        if (!m.equals(manifestSignature) || manifest == null) {
            manifestSignature = m;
            try {
                manifest = RunReader.manifest(run);
                manifestJson = RunDirectory.JSON.valueToTree(manifest);
            } catch (IOException e) {
                manifest = null;
                manifestJson = null;
                problem = e.getMessage();
            }
        }
        String s = RunReader.signature(run.spec());
        if (!s.equals(specSignature)) {
            specSignature = s;
            try {
                spec = RunReader.spec(run);
                fileProblem = null;
            } catch (IOException e) {
                spec = RunDirectory.JSON.createObjectNode();
                fileProblem = e.getMessage();
            }
        }
        String metricsNow = RunReader.signature(run.trainCsv()) + "|" + RunReader.signature(run.summaryCsv());
        if (!metricsNow.equals(metricsSignature)) {
            metricsSignature = metricsNow;
            try {
                metrics = RunReader.metrics(run);
                if (fileProblem != null && fileProblem.contains("metrics")) {
                    fileProblem = null;
                }
            } catch (IOException e) {
                metrics = RunReader.Metrics.NONE;
                fileProblem = e.getMessage();
            }
        }
        List<String> problems = new ArrayList<>();
        if (fileProblem != null) {
            problems.add(fileProblem);
        }
        problems.addAll(eventProblems);
        String shown = problems.isEmpty() ? null : String.join("; ", problems);
        if (manifest == null) {
            boolean noManifest = !Files.exists(run.manifest());
            summary = noManifest && problem == null || noManifest && Files.isRegularFile(run.spec())
                    ? RunReader.pending(id, sweep, spec)
                    : RunSummary.unreadable(id, sweep, problem != null ? problem : run.manifest() + ": missing");
            if (noManifest && !Files.isDirectory(run.root())) {
                summary = RunSummary.unreadable(id, sweep, run.root() + ": no such directory");
            }
        } else {
            summary = RunReader.summary(id, sweep, manifest, spec, metrics, lastProgress, restarts, shown);
        }
    }

    /** The page's data as JSON: the files' part is read again only when a file it comes from changed. */
    private String detail() {
        List<String> problems = new ArrayList<>();
        if (summary.problem() != null) {
            problems.add(summary.problem());
        }
        String signature = filesSignature();
        if (!signature.equals(detailSignature)) {
            detailSignature = signature;
            try {
                fromFiles = RunDetail.fromFiles(run, spec, manifestJson);
                filesProblem = null;
            } catch (IOException | RuntimeException e) {
                fromFiles = null;
                filesProblem = e.getMessage() == null ? e.toString() : e.getMessage();
            }
        }
        if (filesProblem != null && !problems.contains(filesProblem)) {
            problems.add(filesProblem);
        }
        return RunDirectoryJson.write(RunDetail.compose(fromFiles, summary, List.copyOf(recent), lastProgress, problems));
    }

    private String filesSignature() {
        return RunReader.signature(run.trainCsv()) + RunReader.signature(run.summaryCsv()) + RunReader.signature(run.spectrumCsv())
                + RunReader.signature(run.robustnessCsv()) + RunReader.signature(run.manifest()) + RunReader.signature(run.spec())
                + RunReader.signature(run.root().resolve("report/index.html"));
    }

    private void pushAll(Push push) {
        pages.forEach(p -> p.tell(push));
    }
}
