package org.manifoldlab.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.manifoldlab.actors.Answer;
import org.manifoldlab.actors.run.Admission;
import org.manifoldlab.actors.run.ExperimentScheduler;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.Specs;

/**
 * Four small experiments through the scheduler, one at a time and all at once, alternating,
 * with the process's CPU time and GC time beside the wall time of each: the figures that tell
 * whether 4 at once loses to idle cores, to the collector or to sharing the cores.
 * {@code bench/run ConcurrencyBenchmark [rounds] [modes, e.g. 1,4,auto] [hidden width]}.
 */
public final class ConcurrencyBenchmark {

    private ConcurrencyBenchmark() {
    }

    /** One scheduling of the specs: wall seconds, process CPU seconds, GC seconds. */
    public record Timing(double wall, double cpu, double gc) {
        @Override
        public String toString() {
            return String.format("wall %6.2f s  cpu %6.2f s (%3.0f%% of 2 cores)  gc %5.2f s", wall, cpu,
                    100 * cpu / (2 * wall), gc);
        }
    }

    public static List<ExperimentSpec> fourSmallExperiments() throws org.manifoldlab.config.SpecException {
        return fourExperiments(500);
    }

    public static List<ExperimentSpec> fourExperiments(int width) throws org.manifoldlab.config.SpecException {
        List<ExperimentSpec> specs = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            specs.add(Specs.parseOne("""
                    name: c%d
                    seed: %d
                    network: {widths: [%d, %d, %d]}
                    training: {epochs: 2}
                    data: {probeSamples: 1000}
                    attacks: {pgd: {epsilons: []}}
                    """.formatted(i, i, width, width, width), false));
        }
        return specs;
    }

    public static Timing schedule(List<ExperimentSpec> specs, Admission admission) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Path runs = Files.createTempDirectory("bench-concurrency");
        CompletableFuture<ExperimentScheduler.AllDone> done = new CompletableFuture<>();
        long gc0 = gcMillis();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        ActorSystem<ExperimentScheduler.AllDone> system = ActorSystem.create(Answer.of(
                replyTo -> ExperimentScheduler.create(specs, runs, admission, null, replyTo), "scheduler", done), "bench");
        done.get(1, TimeUnit.HOURS);
        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        double wall = (System.nanoTime() - t0) / 1e9;
        return new Timing(wall, (os.getProcessCpuTime() - cpu0) / 1e9, (gcMillis() - gc0) / 1e3);
    }

    public static Admission admission(String mode) {
        return mode.equals("auto") ? Admission.automatic() : Admission.fixed(Integer.parseInt(mode));
    }

    public static double median(List<Timing> timings, java.util.function.ToDoubleFunction<Timing> figure) {
        double[] v = timings.stream().mapToDouble(figure).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String[] modes = (args.length > 1 ? args[1] : "1,4,auto").split(",");
        List<ExperimentSpec> specs = fourExperiments(args.length > 2 ? Integer.parseInt(args[2]) : 500);
        System.out.printf("working set of one experiment %.1f MB; automatic admission %s%n",
                Admission.workingSetBytes(specs.get(0)) / 1048576.0, Admission.automatic());
        schedule(specs, Admission.fixed(1)); // warm-up: JIT, native libraries, page cache
        Map<String, List<Timing>> timings = new LinkedHashMap<>();
        for (int r = 1; r <= rounds; r++) {
            for (String m : modes) {
                Timing t = schedule(specs, admission(m));
                timings.computeIfAbsent(m, k -> new ArrayList<>()).add(t);
                System.out.printf("round %d, %s at once: %s%n", r, m, t);
            }
        }
        double base = median(timings.get(modes[0]), Timing::wall);
        for (var e : timings.entrySet()) {
            System.out.printf("median, %s at once: wall %.2f s (%.2f of %s at once), cpu %.2f s%n", e.getKey(),
                    median(e.getValue(), Timing::wall), median(e.getValue(), Timing::wall) / base, modes[0],
                    median(e.getValue(), Timing::cpu));
        }
    }
}
