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
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.actors.run.CheckpointStore;
import org.manifoldlab.actors.run.ExperimentScheduler;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.rundir.RunDirectory;

/**
 * Results without a shared disk: the same sweep, first on a node that shares the coordinator's
 * runs directory, then on two nodes that each keep their runs in a directory of their own and
 * stream the files back. One of the two is stopped while it runs a job, after the coordinator
 * holds a checkpoint of it; the other node continues that job from the newest checkpoint the
 * coordinator holds. The coordinator's copy of every member then has the shared-directory
 * sweep's fingerprint, spec.json, metrics CSVs and checkpoints, byte for byte.
 */
class StreamedResultsTest {

    private static final String VERSION = "stream-test";

    @TempDir
    Path dir;

    private final List<ActorTestKit> kits = new ArrayList<>();

    @AfterEach
    void shutdown() {
        kits.forEach(ActorTestKit::shutdownTestKit);
    }

    private static List<ExperimentSpec> specs() {
        List<ExperimentSpec> specs = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            specs.add(TestSpecs.parse("""
                    name: s%d
                    seed: %d
                    network: {widths: [64, 32]}
                    training: {epochs: 4, batchSize: 64}
                    data: {probeSamples: 300}
                    analysis: {fitRanks: [2, 20]}
                    attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0, 0.1]}, pgd: {epsilons: []}}
                    checkpoint: {everySteps: 40}
                    """.formatted(i, i)).withVersion(VERSION));
        }
        return specs;
    }

    private ActorTestKit node(String role, ActorTestKit seed) {
        ActorTestKit kit = ActorTestKit.create(ClusterSettings.SYSTEM_NAME, ConfigFactory.parseString(CrashableComputeNode.FAST_DOWNING)
                .withFallback(ClusterSettings.node("127.0.0.1", 0, List.of(), List.of(role))));
        kits.add(kit);
        var address = Cluster.get((seed == null ? kit : seed).system()).selfMember().address();
        Cluster.get(kit.system()).manager().tell(Join.create(address));
        kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
            assertEquals(MemberStatus.up(), Cluster.get(kit.system()).selfMember().status());
            return null;
        });
        return kit;
    }

    private static String address(ActorTestKit kit) {
        var a = Cluster.get(kit.system()).selfMember().address();
        return a.host().get() + ":" + a.port().get();
    }

    private static void awaitSlots(ActorTestKit coordinator, int count) {
        TestProbe<Receptionist.Listing> listing = coordinator.createTestProbe();
        coordinator.system().receptionist().tell(Receptionist.subscribe(ExperimentWorker.SERVICE_KEY, listing.getRef()));
        listing.fishForMessage(Duration.ofSeconds(60), l -> l.getAllServiceInstances(ExperimentWorker.SERVICE_KEY).size() == count
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    }

    private static ActorRef<Jobs.Report> collector(ActorTestKit kit, ConcurrentLinkedQueue<Jobs.Report> reports) {
        return kit.spawn(Behaviors.receive(Jobs.Report.class).onAnyMessage(r -> {
            reports.add(r);
            return Behaviors.same();
        }).build());
    }

    @Test
    void aSweepStreamedBackFromNodesWithoutASharedDiskEqualsTheSharedDirectorySweepEvenWhenANodeIsLostMidJob() throws Exception {
        List<ExperimentSpec> specs = specs();
        ActorTestKit coordinator = node(ClusterSettings.COORDINATOR_ROLE, null);

        // the shared-directory sweep: one node of two slots that sees the coordinator's runs directory
        ActorTestKit sharing = node(ClusterSettings.COMPUTE_ROLE, coordinator);
        sharing.spawn(ComputeNode.create(2, VERSION, dir), "node");
        awaitSlots(coordinator, 2);
        TestProbe<ExperimentScheduler.AllDone> sharedDone = coordinator.createTestProbe();
        coordinator.spawn(ClusterSweep.create(specs, dir.resolve("shared"), null, sharedDone.getRef()), "shared-sweep");
        List<ExperimentSupervisor.Outcome> shared = sharedDone.expectMessageClass(ExperimentScheduler.AllDone.class, Duration.ofMinutes(3)).outcomes();
        shared.forEach(o -> assertTrue(o.completed(), o.name() + ": " + o.reason()));
        sharing.shutdownTestKit();
        kits.remove(sharing);
        awaitSlots(coordinator, 0);

        // the streamed sweep: two nodes with runs directories of their own, distinct from the coordinator's
        Path streamed = dir.resolve("coordinator");
        ActorTestKit a = node(ClusterSettings.COMPUTE_ROLE, coordinator);
        ActorTestKit b = node(ClusterSettings.COMPUTE_ROLE, coordinator);
        a.spawn(ComputeNode.create(1, VERSION, dir.resolve("node-a"), true), "node");
        b.spawn(ComputeNode.create(1, VERSION, dir.resolve("node-b"), true), "node");
        awaitSlots(coordinator, 2);
        ConcurrentLinkedQueue<Jobs.Report> reports = new ConcurrentLinkedQueue<>();
        TestProbe<ExperimentScheduler.AllDone> done = coordinator.createTestProbe();
        coordinator.spawn(ClusterSweep.create(specs, streamed, collector(coordinator, reports), done.getRef()), "streamed-sweep");

        // node b is lost once the coordinator's copy of its job holds a checkpoint, well before the job's end
        String lost = address(b);
        Jobs.Started[] victim = new Jobs.Started[1];
        long[] held = new long[1];
        done.awaitAssert(Duration.ofMinutes(2), Duration.ofMillis(50), () -> {
            for (Jobs.Report r : reports) {
                if (r instanceof Jobs.Started s && s.node().equals(lost)
                        && reports.stream().noneMatch(x -> x instanceof Jobs.Ended e && e.attempt() == s.attempt())) {
                    var entries = new CheckpointStore(new RunDirectory(dir.resolve(s.runDir())).checkpoints(), 2).entries();
                    if (!entries.isEmpty() && entries.get(0).epoch() <= 2) {  // two of its four epochs still to run
                        victim[0] = s;
                        held[0] = entries.get(0).step();
                        return null;
                    }
                }
            }
            throw new AssertionError("no job on node b whose checkpoint the coordinator holds yet");
        });
        b.shutdownTestKit();
        kits.remove(b);
        String name = victim[0].name();
        assertFalse(reports.stream().anyMatch(r -> r instanceof Jobs.Ended e && e.name().equals(name) && e.node().equals(lost)),
                name + " was still running when its node stopped");

        List<ExperimentSupervisor.Outcome> outcomes = done.expectMessageClass(ExperimentScheduler.AllDone.class, Duration.ofMinutes(3)).outcomes();
        assertTrue(reports.stream().anyMatch(r -> r instanceof Jobs.Started s && s.name().equals(name) && s.node().equals(address(a))
                        && s.fromStep() >= held[0] && s.fromStep() > 0),
                name + " continued on node a from the newest checkpoint the coordinator held (step >= " + held[0] + "): " + reports);
        assertTrue(Files.isDirectory(dir.resolve("node-a").resolve(victim[0].runDir())), "node a ran " + name + " in its own directory");

        assertEquals(shared.stream().map(ExperimentSupervisor.Outcome::name).toList(),
                outcomes.stream().map(ExperimentSupervisor.Outcome::name).toList());
        for (int i = 0; i < outcomes.size(); i++) {
            ExperimentSupervisor.Outcome o = outcomes.get(i);
            ExperimentSupervisor.Outcome reference = shared.get(i);
            assertTrue(o.completed(), o.name() + ": " + o.reason());
            assertEquals(reference.fingerprint(), o.fingerprint(), o.name());
            assertTrue(o.runDir().startsWith(streamed), o.runDir() + " is the coordinator's copy");
            assertEquals(reference.fingerprint(), new RunDirectory(o.runDir()).readManifest().fingerprint(), o.name() + " manifest");
            assertSameFiles(reference.runDir(), o.runDir(), "spec.json");
            assertSameFiles(reference.runDir(), o.runDir(), "metrics");
            assertSameFiles(reference.runDir(), o.runDir(), "checkpoints");
        }
    }

    /** The same files, byte for byte, at path (a file, or every file of a directory) in both runs. */
    private static void assertSameFiles(Path expected, Path actual, String path) throws Exception {
        Path e = expected.resolve(path);
        Path a = actual.resolve(path);
        if (Files.isRegularFile(e)) {
            assertArrayEquals(Files.readAllBytes(e), Files.readAllBytes(a), a.toString());
            return;
        }
        List<String> names = names(e);
        assertEquals(names, names(a), a.toString());
        for (String n : names) {
            assertArrayEquals(Files.readAllBytes(e.resolve(n)), Files.readAllBytes(a.resolve(n)), a.resolve(n).toString());
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}
