package org.manifoldlab.bench;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.manifoldlab.actors.cluster.ClusterSettings;
import org.manifoldlab.actors.cluster.ClusterSweep;
import org.manifoldlab.actors.cluster.ComputeNode;
import org.manifoldlab.actors.cluster.Jobs;
import org.manifoldlab.actors.run.ExperimentScheduler;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.Specs;

/**
 * How many slots and jobs one coordinator handles: N compute nodes of S slots each, as N
 * ActorSystems in this JVM on loopback, and a sweep of J experiments so small (a 784-4 network,
 * one epoch, no attacks) that the coordinator's work, not the experiments', shows. Prints the
 * time to join, how fast the first wave of jobs is placed (one job per slot), the sweep's jobs
 * per second, and the heap the coordinator holds per queued job.
 * {@code bench/run ClusterScaleBenchmark [nodes] [slots per node] [jobs]}.
 */
public final class ClusterScaleBenchmark {

    private ClusterScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int slots = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int jobs = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        Path runs = Files.createTempDirectory("cluster-scale");
        List<ExperimentSpec> specs = new ArrayList<>();
        for (int i = 1; i <= jobs; i++) {
            specs.add(Specs.parseOne("""
                    name: s%04d
                    seed: %d
                    network: {widths: [4]}
                    training: {epochs: 1, batchSize: 2000}
                    data: {probeSamples: 20}
                    analysis: {fitRanks: [1, 3], intervals: never, manifoldDim: .inf}
                    attacks: {gaussian: {sigmas: []}, fgsm: {epsilons: []}, pgd: {epsilons: []}}
                    checkpoint: {everyEpochs: 0}
                    """.formatted(i, i), false).withVersion("scale"));
        }
        long start = System.nanoTime();
        ActorSystem<Void> coordinator = system(ClusterSettings.COORDINATOR_ROLE);
        var seed = Cluster.get(coordinator).selfMember().address();
        Cluster.get(coordinator).manager().tell(Join.create(seed));
        List<ActorSystem<Void>> computes = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            ActorSystem<Void> node = system(ClusterSettings.COMPUTE_ROLE);
            Cluster.get(node).manager().tell(Join.create(seed));
            computes.add(node);
        }
        for (ActorSystem<Void> node : computes) {
            while (Cluster.get(node).selfMember().status() != MemberStatus.up()) {
                Thread.sleep(50);  // a benchmark waits for its cluster; nothing is asserted on this pace
            }
        }
        double joined = (System.nanoTime() - start) / 1e9;
        System.gc();
        long heapBefore = usedHeap();
        ConcurrentLinkedQueue<Long> startedAt = new ConcurrentLinkedQueue<>();
        CompletableFuture<ExperimentScheduler.AllDone> done = new CompletableFuture<>();
        long sweepStart = System.nanoTime();
        coordinator.systemActorOf(Behaviors.<ExperimentScheduler.AllDone>setup(ctx -> {
            var monitor = ctx.spawn(Behaviors.receive(Jobs.Report.class).onAnyMessage(r -> {
                if (r instanceof Jobs.Started) {
                    startedAt.add(System.nanoTime());
                }
                return Behaviors.same();
            }).build(), "monitor");
            ctx.watch(ctx.spawn(ClusterSweep.create(specs, runs.resolve("sweep"), monitor, ctx.getSelf()), "sweep"));
            return Behaviors.receive(ExperimentScheduler.AllDone.class).onMessage(ExperimentScheduler.AllDone.class, all -> {
                done.complete(all);
                return Behaviors.same();
            }).onSignal(org.apache.pekko.actor.typed.Terminated.class, t -> {
                done.completeExceptionally(new IllegalStateException("the sweep stopped without an answer"));
                return Behaviors.same();
            }).build();
        }), "bench", org.apache.pekko.actor.typed.Props.empty());
        Thread.sleep(1000);  // the sweep has read its specs and queued every job; no slot exists yet
        System.gc();
        long heapQueued = usedHeap();
        long slotsStart = System.nanoTime();
        for (ActorSystem<Void> node : computes) {
            node.systemActorOf(ComputeNode.create(slots, "scale", runs), "node", org.apache.pekko.actor.typed.Props.empty());
        }
        ExperimentScheduler.AllDone all = done.get(60, TimeUnit.MINUTES);
        double wall = (System.nanoTime() - sweepStart) / 1e9;
        List<Long> starts = new ArrayList<>(startedAt);
        starts.sort(Long::compare);
        int wave = Math.min(nodes * slots, starts.size());
        double firstWave = (starts.get(wave - 1) - slotsStart) / 1e9;
        long completed = all.outcomes().stream().filter(o -> o.completed()).count();
        System.out.printf("%d nodes x %d slots = %d slots; %d jobs (%d completed); cluster up in %.1f s%n", nodes, slots, nodes * slots, jobs,
                completed, joined);
        System.out.printf("first wave: %d jobs placed in %.2f s from the slots' start, Receptionist listing included (%.0f jobs/s)%n", wave,
                firstWave, wave / firstWave);
        System.out.printf("whole sweep: %.1f s, %.1f jobs/s%n", wall, jobs / wall);
        System.out.printf("heap held by the queued sweep before any slot: %.1f MB over the idle cluster (%.1f KB per job, spec JSON included)%n",
                (heapQueued - heapBefore) / 1048576.0, (heapQueued - heapBefore) / 1024.0 / jobs);
        computes.forEach(ActorSystem::terminate);
        coordinator.terminate();
        for (ActorSystem<Void> s : computes) {
            s.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
        System.exit(0);
    }

    private static ActorSystem<Void> system(String role) {
        return ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME, ConfigFactory.parseString(
                "pekko.loglevel = WARNING\npekko.cluster.jmx.multi-mbeans-in-same-jvm = on")
                .withFallback(ClusterSettings.node("127.0.0.1", 0, List.of(), List.of(role))));
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

}
