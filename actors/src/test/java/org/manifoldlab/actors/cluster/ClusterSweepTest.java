package org.manifoldlab.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.actors.run.CheckpointStore;
import org.manifoldlab.actors.run.ExperimentScheduler;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.rundir.RunDirectory;

/**
 * Three ActorSystems on loopback ports in one JVM: a coordinator and two compute nodes of one
 * slot each. A sweep spreads over both nodes; a node stopped mid-experiment loses nothing. Every
 * fingerprint and metrics file equals a single-node run's.
 */
class ClusterSweepTest {

    private static final String VERSION = "cluster-test";
    private static final List<ExperimentSpec> SPECS = new ArrayList<>();
    private static final Map<String, ExperimentSupervisor.Outcome> SINGLE_NODE = new HashMap<>();

    @TempDir
    static Path shared;

    private final List<ActorTestKit> kits = new ArrayList<>();

    @BeforeAll
    static void runOnOneNode() {
        for (int i = 1; i <= 4; i++) {
            SPECS.add(TestSpecs.parse("""
                    name: e%d
                    seed: %d
                    network: {widths: [64, 32]}
                    training: {epochs: 4, batchSize: 64}
                    data: {probeSamples: 300}
                    analysis: {fitRanks: [2, 20]}
                    attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0, 0.1]}, pgd: {epsilons: []}}
                    checkpoint: {everySteps: 40}
                    """.formatted(i, i)).withVersion(VERSION));
        }
        ActorTestKit local = ActorTestKit.create();
        try {
            TestProbe<ExperimentScheduler.AllDone> done = local.createTestProbe();
            local.spawn(ExperimentScheduler.create(SPECS, shared.resolve("single"), 2, null, done.getRef()));
            for (ExperimentSupervisor.Outcome o : done.expectMessageClass(ExperimentScheduler.AllDone.class, Duration.ofMinutes(3)).outcomes()) {
                assertTrue(o.completed(), o.reason());
                SINGLE_NODE.put(o.name(), o);
            }
        } finally {
            local.shutdownTestKit();
        }
    }

    @AfterEach
    void shutdown() {
        kits.forEach(ActorTestKit::shutdownTestKit);
    }

    private ActorTestKit node(String role) {
        ActorTestKit kit = ActorTestKit.create(ClusterSettings.SYSTEM_NAME, ConfigFactory.parseString(CrashableComputeNode.FAST_DOWNING)
                .withFallback(ClusterSettings.node("127.0.0.1", 0, List.of(), List.of(role))));
        kits.add(kit);
        return kit;
    }

    private static String address(ActorTestKit kit) {
        var a = Cluster.get(kit.system()).selfMember().address();
        return a.host().get() + ":" + a.port().get();
    }

    /** A coordinator and two compute nodes, joined and Up, each compute node with one slot listed at the coordinator. */
    private ActorTestKit[] cluster() {
        ActorTestKit coordinator = node(ClusterSettings.COORDINATOR_ROLE);
        ActorTestKit a = node(ClusterSettings.COMPUTE_ROLE);
        ActorTestKit b = node(ClusterSettings.COMPUTE_ROLE);
        var seed = Cluster.get(coordinator.system()).selfMember().address();
        for (ActorTestKit kit : List.of(coordinator, a, b)) {
            Cluster.get(kit.system()).manager().tell(Join.create(seed));
        }
        for (ActorTestKit kit : List.of(coordinator, a, b)) {
            coordinator.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
                assertEquals(MemberStatus.up(), Cluster.get(kit.system()).selfMember().status());
                return null;
            });
        }
        a.spawn(ComputeNode.create(1, VERSION, shared), "node");
        b.spawn(ComputeNode.create(1, VERSION, shared), "node");
        TestProbe<Receptionist.Listing> listing = coordinator.createTestProbe();
        coordinator.system().receptionist().tell(Receptionist.subscribe(ExperimentWorker.SERVICE_KEY, listing.getRef()));
        listing.fishForMessage(Duration.ofSeconds(30), l -> l.getServiceInstances(ExperimentWorker.SERVICE_KEY).size() == 2
                ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
        return new ActorTestKit[] {coordinator, a, b};
    }

    @Test
    void aSweepSpreadsOverBothComputeNodesWithTheFingerprintsOfOneNode() throws Exception {
        ActorTestKit[] nodes = cluster();
        ConcurrentLinkedQueue<Jobs.Report> reports = new ConcurrentLinkedQueue<>();
        List<ExperimentSupervisor.Outcome> outcomes = sweep(nodes[0], shared.resolve("spread"), reports);
        assertSameAsOneNode(outcomes);
        Set<String> nodesUsed = reports.stream().filter(r -> r instanceof Jobs.Ended).map(r -> ((Jobs.Ended) r).node())
                .collect(Collectors.toSet());
        assertEquals(Set.of(address(nodes[1]), address(nodes[2])), nodesUsed, "both compute nodes ran experiments");
        // the same long-lived nodes take the next sweep, from a new coordinator's producers
        assertSameAsOneNode(sweep(nodes[0], shared.resolve("again"), new ConcurrentLinkedQueue<>()));
    }

    @Test
    void twoSweepsAtOnceShareTheSlotsAndABusySlotDeclines() throws Exception {
        ActorTestKit[] nodes = cluster();
        ConcurrentLinkedQueue<Jobs.Report> reports = new ConcurrentLinkedQueue<>();
        TestProbe<ExperimentScheduler.AllDone> first = nodes[0].createTestProbe();
        TestProbe<ExperimentScheduler.AllDone> second = nodes[0].createTestProbe();
        nodes[0].spawn(ClusterSweep.create(SPECS.subList(0, 2), shared.resolve("first"), collector(nodes[0], reports), first.getRef()), "first");
        nodes[0].spawn(ClusterSweep.create(SPECS.subList(2, 4), shared.resolve("second"), collector(nodes[0], reports), second.getRef()), "second");
        List<ExperimentSupervisor.Outcome> outcomes = new ArrayList<>(first.expectMessageClass(ExperimentScheduler.AllDone.class, Duration.ofMinutes(3)).outcomes());
        outcomes.addAll(second.expectMessageClass(ExperimentScheduler.AllDone.class, Duration.ofMinutes(3)).outcomes());
        assertSameAsOneNode(outcomes);
        // two coordinators offered jobs to the same two idle slots at once: the slot that was busy declined
        assertTrue(reports.stream().anyMatch(r -> r instanceof Jobs.Declined), "a busy slot declined: " + reports);
    }

    @Test
    void aComputeNodeStoppedMidExperimentLosesNothing() throws Exception {
        ActorTestKit[] nodes = cluster();
        String doomed = address(nodes[2]);
        ConcurrentLinkedQueue<Jobs.Report> reports = new ConcurrentLinkedQueue<>();
        TestProbe<ExperimentScheduler.AllDone> done = nodes[0].createTestProbe();
        nodes[0].spawn(ClusterSweep.create(SPECS, shared.resolve("loss"), collector(nodes[0], reports), done.getRef()), "sweep");
        // wait until the doomed node's experiment has written a checkpoint inside its first epoch, then stop that node
        String[] victim = new String[2];
        done.awaitAssert(Duration.ofMinutes(1), () -> {
            Jobs.Started s = runningOn(reports, n -> n.equals(doomed));
            victim[0] = s.name();
            victim[1] = s.runDir();
            return null;
        });
        nodes[2].shutdownTestKit();
        kits.remove(nodes[2]);
        assertFalse(reports.stream().anyMatch(r -> r instanceof Jobs.Ended e && e.name().equals(victim[0]) && e.node().equals(doomed)),
                victim[0] + " was stopped before it ended on the stopped node");
        List<ExperimentSupervisor.Outcome> outcomes = done.expectMessageClass(ExperimentScheduler.AllDone.class, Duration.ofMinutes(3)).outcomes();
        assertSameAsOneNode(outcomes);
        assertTrue(reports.stream().anyMatch(r -> r instanceof Jobs.Started s && s.name().equals(victim[0])
                && s.node().equals(address(nodes[1])) && s.fromStep() > 0),
                victim[0] + " continued on the other node from a checkpoint: " + reports);
        // the continued run's metrics are byte for byte the single-node run's
        assertSameMetrics(victim[0], shared.resolve(victim[1]));
    }

    @Test
    void aComputeNodeKilledMidExperimentIsDownedAndItsJobContinuesElsewhere() throws Exception {
        ActorTestKit coordinator = node(ClusterSettings.COORDINATOR_ROLE);
        ActorTestKit a = node(ClusterSettings.COMPUTE_ROLE);
        var seed = Cluster.get(coordinator.system()).selfMember().address();
        Cluster.get(coordinator.system()).manager().tell(Join.create(seed));
        Cluster.get(a.system()).manager().tell(Join.create(seed));
        a.spawn(ComputeNode.create(1, VERSION, shared), "node");
        Path log = shared.resolve("crashable-node.log");
        Process b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), CrashableComputeNode.class.getName(),
                address(coordinator), VERSION, shared.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            TestProbe<Receptionist.Listing> listing = coordinator.createTestProbe();
            coordinator.system().receptionist().tell(Receptionist.subscribe(ExperimentWorker.SERVICE_KEY, listing.getRef()));
            listing.fishForMessage(Duration.ofSeconds(60), l -> l.getServiceInstances(ExperimentWorker.SERVICE_KEY).size() == 2
                    ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                    : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
            String local = address(a);
            ConcurrentLinkedQueue<Jobs.Report> reports = new ConcurrentLinkedQueue<>();
            TestProbe<ExperimentScheduler.AllDone> done = coordinator.createTestProbe();
            coordinator.spawn(ClusterSweep.create(SPECS, shared.resolve("crash"), collector(coordinator, reports), done.getRef()), "sweep");
            String[] victim = new String[2];
            done.awaitAssert(Duration.ofMinutes(1), () -> {
                Jobs.Started s = runningOn(reports, n -> !n.equals(local));
                    victim[0] = s.name();
                victim[1] = s.runDir();
                return null;
            });
            b.destroyForcibly().waitFor(); // SIGKILL: no CoordinatedShutdown, no leaving
            assertFalse(reports.stream().anyMatch(r -> r instanceof Jobs.Ended e && e.name().equals(victim[0]) && !e.node().equals(local)),
                    victim[0] + " was killed before it ended");
            List<ExperimentSupervisor.Outcome> outcomes = done.expectMessageClass(ExperimentScheduler.AllDone.class, Duration.ofMinutes(3)).outcomes();
            assertSameAsOneNode(outcomes);
            assertTrue(reports.stream().anyMatch(r -> r instanceof Jobs.Started s && s.name().equals(victim[0])
                    && s.node().equals(local) && s.fromStep() > 0), victim[0] + " continued from a checkpoint: " + reports);
            assertSameMetrics(victim[0], shared.resolve(victim[1]));
        } finally {
            b.destroyForcibly();
        }
    }

    /** A job started on a node matching the test, not yet ended, whose run directory holds a checkpoint. */
    private static Jobs.Started runningOn(ConcurrentLinkedQueue<Jobs.Report> reports, java.util.function.Predicate<String> node) throws Exception {
        for (Jobs.Report r : reports) {
            if (r instanceof Jobs.Started s && node.test(s.node())
                    && reports.stream().noneMatch(x -> x instanceof Jobs.Ended e && e.attempt() == s.attempt())
                    && !new CheckpointStore(new RunDirectory(shared.resolve(s.runDir())).checkpoints(), 2).entries().isEmpty()) {
                return s;
            }
        }
        throw new AssertionError("no job running with a checkpoint yet");
    }

    private static void assertSameMetrics(String name, Path runDir) throws Exception {
        Path single = SINGLE_NODE.get(name).runDir().resolve("metrics");
        try (var files = Files.list(single)) {
            for (Path f : files.toList()) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(runDir.resolve("metrics").resolve(f.getFileName())),
                        name + " " + f.getFileName());
            }
        }
    }

    private static org.apache.pekko.actor.typed.ActorRef<Jobs.Report> collector(ActorTestKit kit, ConcurrentLinkedQueue<Jobs.Report> reports) {
        return kit.spawn(Behaviors.receive(Jobs.Report.class).onAnyMessage(r -> {
            reports.add(r);
            return Behaviors.same();
        }).build());
    }

    private List<ExperimentSupervisor.Outcome> sweep(ActorTestKit coordinator, Path runs, ConcurrentLinkedQueue<Jobs.Report> reports) {
        TestProbe<ExperimentScheduler.AllDone> done = coordinator.createTestProbe();
        coordinator.spawn(ClusterSweep.create(SPECS, runs, collector(coordinator, reports), done.getRef()), "sweep-" + runs.getFileName());
        return done.expectMessageClass(ExperimentScheduler.AllDone.class, Duration.ofMinutes(3)).outcomes();
    }

    private static void assertSameAsOneNode(List<ExperimentSupervisor.Outcome> outcomes) {
        assertEquals(SPECS.stream().map(ExperimentSpec::name).toList(), outcomes.stream().map(ExperimentSupervisor.Outcome::name).toList());
        for (ExperimentSupervisor.Outcome o : outcomes) {
            assertTrue(o.completed(), o.name() + ": " + o.reason());
            assertEquals(SINGLE_NODE.get(o.name()).fingerprint(), o.fingerprint(), o.name());
        }
    }
}
