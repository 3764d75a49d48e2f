package org.manifoldlab.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.SweepPlan;

/**
 * The runs directory as the pages see it. Every scan it lists the directory: each run (a
 * directory with a manifest, or a sweep member with its spec) gets a {@link RunFollower} child,
 * watched; a run that disappeared has its follower stopped. A sweep is a directory holding runs,
 * named by its sweep.json when it has one. The catalog keeps every run's row and curves as the
 * followers report them, answers the pages' questions and pushes changes to the open runs and
 * sweep pages. A page that asks for a run not there yet waits for it.
 */
public final class Catalog extends AbstractBehavior<Catalog.Command> {

    public sealed interface Command {
    }

    private enum Scan implements Command { INSTANCE }

    /** The server is stopping: every open page's stream ends, so its connection closes cleanly. */
    public enum EndPages implements Command { INSTANCE }

    /** A follower's news: the run's row and curves changed. */
    public record Updated(String id, RunSummary summary, Curves curves) implements Command {
    }

    private record FollowerStopped(String id, ActorRef<RunFollower.Command> follower) implements Command {
    }

    private record PageClosed(ActorRef<Push> page) implements Command {
    }

    /** The runs page: every run and sweep (a snapshot), then each change. */
    public record SubscribeRuns(ActorRef<Push> page) implements Command {
    }

    /** A run's page: handed to the run's follower, now or when the run appears. */
    public record SubscribeRun(String id, ActorRef<Push> page) implements Command {
    }

    /** A sweep's page: its members' rows and curves (a snapshot), then each member's change. */
    public record SubscribeSweep(String id, ActorRef<Push> page) implements Command {
    }

    public record GetRuns(ActorRef<Reply> replyTo) implements Command {
    }

    public record GetRun(String id, ActorRef<Reply> replyTo) implements Command {
    }

    public record GetSweep(String id, ActorRef<Reply> replyTo) implements Command {
    }

    /** What a sweep directory holds: its members (ids) and a problem reading its plan, if any. */
    private record Sweep(String id, String name, List<String> members, String problem) {
    }

    private final ActorContext<Command> ctx;
    private final Path root;
    private final RunFollower.Intervals intervals;
    private final Map<String, ActorRef<RunFollower.Command>> followers = new HashMap<>();
    private final Map<String, RunSummary> summaries = new TreeMap<>();
    private final Map<String, Curves> curves = new HashMap<>();
    private final Map<String, Sweep> sweeps = new TreeMap<>();
    private final Map<String, String> planSignatures = new HashMap<>();
    private final Set<ActorRef<Push>> runsPages = new HashSet<>();
    private final Map<ActorRef<Push>, String> sweepPages = new HashMap<>();
    private final Map<String, List<ActorRef<Push>>> waitingRunPages = new HashMap<>();
    private String scanProblem;
    private int spawned;

    public static Behavior<Command> create(Path runsDir, Duration scanEvery, RunFollower.Intervals intervals) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Scan.INSTANCE, scanEvery);
            return new Catalog(ctx, runsDir, intervals);
        }));
    }

    private Catalog(ActorContext<Command> ctx, Path runsDir, RunFollower.Intervals intervals) {
        super(ctx);
        this.ctx = ctx;
        this.root = runsDir.toAbsolutePath().normalize();
        this.intervals = intervals;
        scan();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(Scan.INSTANCE, this::onScan)
                .onMessageEquals(EndPages.INSTANCE, this::onEndPages)
                .onMessage(Updated.class, this::onUpdated)
                .onMessage(FollowerStopped.class, this::onFollowerStopped)
                .onMessage(PageClosed.class, this::onPageClosed)
                .onMessage(SubscribeRuns.class, this::onSubscribeRuns)
                .onMessage(SubscribeRun.class, this::onSubscribeRun)
                .onMessage(SubscribeSweep.class, this::onSubscribeSweep)
                .onMessage(GetRuns.class, m -> reply(m.replyTo(), Reply.ok(RunDirectoryJson.write(runsJson()))))
                .onMessage(GetRun.class, this::onGetRun)
                .onMessage(GetSweep.class, this::onGetSweep)
                .build();
    }

    private Behavior<Command> onEndPages() {
        runsPages.forEach(p -> p.tell(Push.END));
        sweepPages.keySet().forEach(p -> p.tell(Push.END));
        waitingRunPages.values().forEach(list -> list.forEach(p -> p.tell(Push.END)));
        followers.values().forEach(f -> f.tell(RunFollower.EndPages.INSTANCE));
        return this;
    }

    private Behavior<Command> onScan() {
        scan();
        return this;
    }

    /** Lists the runs directory: runs and sweeps found get followers, runs gone lose theirs. */
    private void scan() {
        Map<String, String> found = new LinkedHashMap<>();  // run id -> sweep id (or "")
        Map<String, Sweep> foundSweeps = new TreeMap<>();
        String problem = null;
        if (!Files.isDirectory(root)) {
            problem = Files.exists(root) ? root + ": not a directory" : root + " does not exist yet: runs appear here when it does";
        } else {
            try (var children = Files.list(root)) {
                for (Path child : children.sorted().toList()) {
                    String name = child.getFileName().toString();
                    if (name.startsWith(".") || !Files.isDirectory(child)) {
                        continue;
                    }
                    if (Files.exists(child.resolve("manifest.json"))) {
                        found.put(name, "");
                    } else {
                        Sweep sweep = sweepAt(child, name);
                        if (sweep != null) {
                            foundSweeps.put(name, sweep);
                            sweep.members().forEach(m -> found.put(m, name));
                        }
                    }
                }
            } catch (IOException e) {
                problem = root + ": cannot be listed: " + RunReader.firstLine(e);
            }
        }
        scanProblem = problem;
        for (String id : List.copyOf(followers.keySet())) {
            if (!found.containsKey(id)) {
                ctx.stop(followers.get(id));  // its FollowerStopped removes the row
            }
        }
        found.forEach((id, sweep) -> {
            if (!followers.containsKey(id)) {
                follow(id, sweep.isEmpty() ? null : sweep);
            }
        });
        if (!foundSweeps.equals(sweeps)) {
            sweeps.clear();
            sweeps.putAll(foundSweeps);
            pushRuns(new Push("sweeps", RunDirectoryJson.write(runsJson().get("sweeps"))));
        }
    }

    /** A sweep directory: its plan's members when it has sweep.json, else the run directories inside it; null when it holds no run. */
    private Sweep sweepAt(Path dir, String name) throws IOException {
        List<String> members = new ArrayList<>();
        String problem = null;
        String label = name;
        Path plan = dir.resolve(SweepPlan.FILE);
        if (Files.isRegularFile(plan)) {
            String signature = RunReader.signature(plan);
            Sweep known = sweeps.get(name);
            if (known != null && signature.equals(planSignatures.get(name))) {
                return known;
            }
            planSignatures.put(name, signature);
            try {
                JsonNode tree = RunDirectory.JSON.readTree(plan.toFile());
                label = tree.path("name").asText(name);
                for (SweepPlan.Member m : SweepPlan.read(dir)) {
                    members.add(name + "/" + m.runDir().getFileName());
                }
            } catch (IOException | RuntimeException e) {
                problem = plan + ": expected a sweep's plan (its members' run directories): " + RunReader.firstLine(e);
                members.clear();
            }
        }
        if (members.isEmpty()) {
            try (var grand = Files.list(dir)) {
                for (Path g : grand.sorted().toList()) {
                    if (Files.exists(g.resolve("manifest.json")) || Files.exists(g.resolve("spec.json"))) {
                        members.add(name + "/" + g.getFileName());
                    }
                }
            }
        }
        if (members.isEmpty() && problem == null) {
            return null;
        }
        return new Sweep(name, label, List.copyOf(members), problem);
    }

    private void follow(String id, String sweep) {
        RunDirectory run = new RunDirectory(root.resolve(id));
        Behavior<RunFollower.Command> behavior = Behaviors.supervise(RunFollower.create(id, sweep, run, ctx.getSelf(), intervals))
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
        ActorRef<RunFollower.Command> follower = ctx.spawn(behavior, "run-" + (++spawned));
        ctx.watchWith(follower, new FollowerStopped(id, follower));
        followers.put(id, follower);
        List<ActorRef<Push>> waiting = waitingRunPages.remove(id);
        if (waiting != null) {
            waiting.forEach(p -> follower.tell(new RunFollower.Subscribe(p)));
        }
    }

    private Behavior<Command> onUpdated(Updated m) {
        if (!followers.containsKey(m.id())) {
            return this;  // a late word from a follower already stopped
        }
        summaries.put(m.id(), m.summary());
        curves.put(m.id(), m.curves());
        pushRuns(new Push("run", RunDirectoryJson.write(m.summary())));
        if (m.summary().sweep() != null) {
            String member = RunDirectoryJson.write(memberJson(m.id()));
            sweepPages.forEach((page, sweep) -> {
                if (sweep.equals(m.summary().sweep())) {
                    page.tell(new Push("member", member));
                }
            });
        }
        return this;
    }

    private Behavior<Command> onFollowerStopped(FollowerStopped m) {
        if (followers.get(m.id()) == m.follower()) {
            followers.remove(m.id());
            summaries.remove(m.id());
            curves.remove(m.id());
            pushRuns(new Push("removed", RunDirectoryJson.write(Map.of("id", m.id()))));
        }
        return this;
    }

    private Behavior<Command> onPageClosed(PageClosed m) {
        runsPages.remove(m.page());
        sweepPages.remove(m.page());
        waitingRunPages.values().forEach(list -> list.remove(m.page()));
        return this;
    }

    private Behavior<Command> onSubscribeRuns(SubscribeRuns m) {
        ctx.watchWith(m.page(), new PageClosed(m.page()));
        runsPages.add(m.page());
        m.page().tell(new Push("snapshot", RunDirectoryJson.write(runsJson())));
        return this;
    }

    private Behavior<Command> onSubscribeRun(SubscribeRun m) {
        ActorRef<RunFollower.Command> follower = followers.get(m.id());
        if (follower != null) {
            follower.tell(new RunFollower.Subscribe(m.page()));
        } else {
            ctx.watchWith(m.page(), new PageClosed(m.page()));
            waitingRunPages.computeIfAbsent(m.id(), id -> new ArrayList<>()).add(m.page());
            m.page().tell(new Push("waiting", RunDirectoryJson.write(Map.of("message", "no run " + m.id() + " under " + root
                    + " yet; this page shows it when it appears"))));
        }
        return this;
    }

    private Behavior<Command> onSubscribeSweep(SubscribeSweep m) {
        ctx.watchWith(m.page(), new PageClosed(m.page()));
        sweepPages.put(m.page(), m.id());
        m.page().tell(new Push("snapshot", RunDirectoryJson.write(sweepDetail(m.id()))));
        return this;
    }

    private Behavior<Command> onGetRun(GetRun m) {
        ActorRef<RunFollower.Command> follower = followers.get(m.id());
        if (follower == null) {
            m.replyTo().tell(Reply.notFound("no run " + m.id() + " under " + root));
        } else {
            follower.tell(new RunFollower.GetDetail(m.replyTo()));
        }
        return this;
    }

    private Behavior<Command> onGetSweep(GetSweep m) {
        m.replyTo().tell(sweeps.containsKey(m.id()) ? Reply.ok(RunDirectoryJson.write(sweepDetail(m.id())))
                : Reply.notFound("no sweep " + m.id() + " under " + root));
        return this;
    }

    private Behavior<Command> reply(ActorRef<Reply> to, Reply reply) {
        to.tell(reply);
        return this;
    }

    private void pushRuns(Push push) {
        runsPages.forEach(p -> p.tell(push));
    }

    private ObjectNode runsJson() {
        ObjectNode out = RunDirectory.JSON.createObjectNode();
        out.put("root", root.toString());
        out.put("problem", scanProblem);
        ArrayNode runs = out.putArray("runs");
        summaries.values().forEach(s -> runs.add(RunDirectory.JSON.valueToTree(s)));
        ArrayNode list = out.putArray("sweeps");
        sweeps.values().forEach(s -> list.add(sweepJson(s)));
        return out;
    }

    /** A sweep's row: members by state, and its progress (epochs done over epochs planned). */
    private ObjectNode sweepJson(Sweep s) {
        ObjectNode out = RunDirectory.JSON.createObjectNode();
        out.put("id", s.id()).put("name", s.name()).put("members", s.members().size()).put("problem", s.problem());
        ObjectNode states = out.putObject("states");
        int done = 0;
        int planned = 0;
        for (String member : s.members()) {
            RunSummary r = summaries.get(member);
            String state = r == null ? RunSummary.PENDING : r.state();
            states.put(state, states.path(state).asInt(0) + 1);
            if (r != null) {
                done += r.epoch();
                planned += r.epochs();
            }
        }
        out.put("epochsDone", done).put("epochsPlanned", planned).put("progress", planned == 0 ? 0.0 : (double) done / planned);
        return out;
    }

    private ObjectNode sweepDetail(String id) {
        ObjectNode out = RunDirectory.JSON.createObjectNode();
        Sweep s = sweeps.get(id);
        if (s == null) {
            out.put("error", "no sweep " + id + " under " + root);
            return out;
        }
        out.set("sweep", sweepJson(s));
        ArrayNode members = out.putArray("members");
        s.members().forEach(m -> members.add(memberJson(m)));
        return out;
    }

    private ObjectNode memberJson(String id) {
        ObjectNode out = RunDirectory.JSON.createObjectNode();
        out.put("id", id);
        out.set("summary", summaries.containsKey(id) ? RunDirectory.JSON.valueToTree(summaries.get(id)) : null);
        out.set("curves", RunDirectory.JSON.valueToTree(curves.getOrDefault(id, Curves.NONE)));
        return out;
    }
}
