package org.manifoldlab.actors.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.manifoldlab.config.AttacksSpec;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.nn.Optimizer;
import org.manifoldlab.rundir.RunEnd;

/**
 * What can be known before anything runs, checked before anything runs: that the runs
 * directory exists or can be made, is writable and has room for a checkpoint; that each
 * experiment fits in this process's memory (from the data's real shape). An experiment that
 * would take very long is legitimate: it only gets a warning with the estimate.
 */
public final class Preflight {

    /** Problems refuse the command (exit 2, nothing made); warnings are printed and the run goes on. */
    public record Result(List<String> problems, List<String> warnings) {
    }

    /** Compute rate assumed for time estimates: the plain training loop's, measured on 2 cores (docs/PERFORMANCE.md). */
    static final double FLOPS_PER_SECOND = 50e9;
    static final double WARN_ABOVE_SECONDS = 24 * 3600;
    /** The share of the heap the data set and the optimizer's state may fill: the rest is for the arrays a run makes and drops. */
    static final double HEAP_SHARE = 0.75;
    private static final int FLOAT = 4;

    private Preflight() {
    }

    /**
     * @param shapes the shape of every data source the experiments name
     * @param memory the bytes this process may use for arrays (see {@link #processMemoryBytes()})
     */
    public static Result check(List<ExperimentSpec> experiments, Path runsDir, Map<String, DataSources.Shape> shapes, long memory) {
        return check(experiments, runsDir, shapes, memory, Runtime.getRuntime().maxMemory());
    }

    /**
     * @param heap the Java heap's maximum (-Xmx): the data set and the optimizer's state live there, and
     *             must fit in {@link #HEAP_SHARE} of it
     */
    public static Result check(List<ExperimentSpec> experiments, Path runsDir, Map<String, DataSources.Shape> shapes, long memory,
                               long heap) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        long checkpointBytes = 0;
        for (ExperimentSpec spec : experiments) {
            DataSources.Shape shape = shapes.get(spec.data().source());
            if (shape == null) {
                continue;  // its data source was refused already
            }
            Estimate e = estimate(spec, shape, heap);
            if (e.largestMatrix() > Integer.MAX_VALUE - 8) {
                problems.add(spec.name() + ": network.widths: a weight matrix of " + count(e.largestMatrix())
                        + " entries; an array holds at most 2^31 - 1");
            } else if (e.bytes() > memory) {
                problems.add(spec.name() + ": needs about " + bytes(e.bytes()) + " of memory (" + count(e.parameters())
                        + " parameters with their gradients, optimizer state and snapshots, probe activations and covariances); "
                        + "this process may use " + bytes(memory) + " (LAB_JAVA_OPTS=-Xmx... raises it)");
            } else if (e.heapBytes() > HEAP_SHARE * heap) {
                problems.add(spec.name() + ": needs about " + bytes(e.heapBytes()) + " of Java heap (the data set"
                        + (e.stateOnHeap() ? ", and the optimizer's state of " + count(e.parameters()) + " parameters" : "")
                        + "); this process may fill " + bytes((long) (HEAP_SHARE * heap)) + " of it (" + Math.round(100 * HEAP_SHARE)
                        + "% of -Xmx " + bytes(heap) + "; LAB_JAVA_OPTS=-Xmx... raises it)");
            } else {
                checkpointBytes = Math.max(checkpointBytes, e.checkpointBytes());
            }
            if (problems.isEmpty() && e.seconds() > WARN_ABOVE_SECONDS) {
                warnings.add(spec.name() + ": about " + duration(e.seconds()) + " of computing at " + (long) (FLOPS_PER_SECOND / 1e9)
                        + " GFLOP/s (training " + duration(e.trainingSeconds()) + ", attacks " + duration(e.attackSeconds())
                        + "); it runs as asked");
            }
        }
        String dir = runsDirProblem(runsDir, checkpointBytes);
        if (dir != null) {
            problems.add(dir);
        }
        return new Result(problems, warnings);
    }

    /**
     * What the experiment's arrays need, and how long its training and attacks take at {@link #FLOPS_PER_SECOND}.
     *
     * @param stateOnHeap whether the optimizer's state goes on the Java heap ({@link Optimizer#stateOnHeap}), and so in heapBytes
     */
    record Estimate(long parameters, long largestMatrix, long bytes, long heapBytes, boolean stateOnHeap, long checkpointBytes,
                    double trainingSeconds, double attackSeconds) {
        double seconds() {
            return trainingSeconds + attackSeconds;
        }
    }

    static Estimate estimate(ExperimentSpec spec, DataSources.Shape shape) {
        return estimate(spec, shape, Runtime.getRuntime().maxMemory());
    }

    /** The same in a process whose heap may grow to maxHeap (-Xmx). */
    static Estimate estimate(ExperimentSpec spec, DataSources.Shape shape, long maxHeap) {
        List<Integer> widths = spec.network().widths();
        int classes = shape.classes();
        long in = shape.features();
        long parameters = 0;
        long largest = 0;
        long units = 0;
        long covariance = 0;
        double attackFlops = 0;
        long probes = Math.min(spec.data().probeSamples(), shape.testSamples());
        AttacksSpec a = spec.attacks();
        double passesPerProbe = 2.0 * a.gaussian().sigmas().size() + 6.0 * a.fgsm().epsilons().size()
                + 6.0 * a.pgd().epsilons().size() * (double) a.pgd().steps();
        for (int width : widths) {
            // W_l and b_l, and the readout B_l (width x classes) with its bias
            parameters = saturatingAdd(parameters, saturatingAdd(saturatingMul(in, width), saturatingMul(width, classes + 1L) + classes));
            largest = Math.max(largest, saturatingMul(in, width));
            units += width;
            covariance = saturatingAdd(covariance, saturatingMul(width, width));
            attackFlops += passesPerProbe * probes * (double) parameters;  // layer l is attacked through layers 1..l
            in = width;
        }
        int copies = 4 + 3 + 2 + spec.resources().attackers() + 3;  // training (weights, gradient, 2 moments), checkpoint, frozen snapshots, a collection
        long activations = saturatingMul(units, (long) spec.training().batchSize() * (spec.training().pipelineWindow() + 3)
                + 500L * (1 + spec.resources().attackers()));
        long bytes = saturatingAdd(saturatingAdd(saturatingMul(parameters, (long) copies * FLOAT), saturatingMul(covariance, 2L * Double.BYTES)),
                saturatingMul(activations, FLOAT));
        bytes = saturatingAdd(bytes, penaltyBytes(spec, shape.features()));
        long checkpoint = saturatingMul(parameters, 3L * FLOAT);
        // On the heap: the data set's features, twice while it is split (the whole and its parts),
        // and the optimizer's state (Adam's two moments, SGD's velocity) while it is small beside the heap.
        long data = saturatingMul(saturatingMul((long) shape.trainSamples() + shape.testSamples(), shape.features()), 2L * FLOAT);
        long state = saturatingMul(parameters, (long) ExperimentPlan.optimizer(spec.training().optimizer()).stateArrays() * FLOAT);
        boolean stateOnHeap = Optimizer.stateOnHeap(state, maxHeap);
        long heap = stateOnHeap ? saturatingAdd(data, state) : data;
        double trainingFlops = 6.0 * parameters * shape.trainSamples() * spec.training().epochs();
        int analyses = spec.attacks().at() == AttacksSpec.At.LAST ? 1 : spec.training().epochs() / spec.analysis().everyEpochs() + 1;
        return new Estimate(parameters, largest, bytes, heap, stateOnHeap, checkpoint, trainingFlops / FLOPS_PER_SECOND,
                attackFlops * analyses / FLOPS_PER_SECOND);
    }

    /**
     * The spectral penalty's buffers: per penalised layer, in double, Hc and dP/dHc [batch, width],
     * C, V diag(g) and V [width, width], and the LAPACK copy and vectors; in float, the penalty
     * batch's activations of every layer up to the highest penalised one, and its input.
     */
    static long penaltyBytes(ExperimentSpec spec, long features) {
        var p = spec.training().spectralPenalty();
        if (!p.on()) {
            return 0;
        }
        List<Integer> widths = spec.network().widths();
        long bytes = saturatingMul(features, (long) p.batch() * FLOAT);
        int depth = p.layers().stream().mapToInt(Integer::intValue).max().orElse(0);
        for (int l = 1; l <= Math.min(depth, widths.size()); l++) {
            long width = widths.get(l - 1);
            bytes = saturatingAdd(bytes, saturatingMul(width, 3L * p.batch() * FLOAT));  // h, dh, scratch of the penalty batch
            if (p.layers().contains(l)) {
                bytes = saturatingAdd(bytes, saturatingAdd(saturatingMul(width, 2L * p.batch() * Double.BYTES),
                        saturatingMul(saturatingMul(width, width), 6L * Double.BYTES)));
            }
        }
        return bytes;
    }

    /**
     * The memory a run's arrays may take in this process. ND4J's buffers are native; JavaCPP
     * refuses allocations once the process's resident size passes its maxPhysicalBytes (4 x the
     * heap's maximum unless set; measured: -Xmx256m stopped at 1.1 GB resident), and never more
     * than the machine has.
     */
    public static long processMemoryBytes() {
        long javacpp = org.bytedeco.javacpp.Pointer.maxPhysicalBytes();
        long physical = org.bytedeco.javacpp.Pointer.totalPhysicalBytes();
        long limit = javacpp > 0 ? javacpp : 4 * Runtime.getRuntime().maxMemory();
        return physical > 0 ? Math.min(limit, physical) : limit;
    }

    /** Why runs cannot be written under runsDir, or null: it must be (or become) a writable directory with room for a checkpoint. */
    static String runsDirProblem(Path runsDir, long checkpointBytes) {
        Path existing = runsDir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return "--runs-dir " + runsDir + ": no part of the path exists";
        }
        if (!Files.isDirectory(existing)) {
            return "--runs-dir " + runsDir + ": " + (existing.equals(runsDir.toAbsolutePath().normalize()) ? "is a file, not a directory"
                    : "cannot be made: " + existing + " is a file, not a directory");
        }
        if (!Files.isWritable(existing)) {
            return "--runs-dir " + runsDir + ": " + existing + " is not writable";
        }
        try {
            long free = Files.getFileStore(existing).getUsableSpace();
            long needed = 2 * checkpointBytes + (1 << 20);  // a checkpoint being written beside the one kept, and the metrics
            if (free < needed) {
                return "--runs-dir " + runsDir + ": " + bytes(free) + " free; a run here needs at least " + bytes(needed)
                        + " (two checkpoints and its metrics)";
            }
        } catch (IOException e) {
            return "--runs-dir " + runsDir + ": cannot read its free space: " + RunEnd.reason(e);
        }
        return null;
    }

    private static long saturatingMul(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    static String bytes(long n) {
        if (n == Long.MAX_VALUE) {
            return "more than 9.2 EB";
        }
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    private static String count(long n) {
        return n == Long.MAX_VALUE ? "more than 9.2e18" : String.format(Locale.ROOT, n < 1_000_000 ? "%,d" : "%.2g", (double) n);
    }

    static String duration(double seconds) {
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        if (seconds < 3 * 86400) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        }
        if (seconds < 3 * 365.25 * 86400) {
            return String.format(Locale.ROOT, "%.1f days", seconds / 86400);
        }
        return String.format(Locale.ROOT, "%.2g years", seconds / (365.25 * 86400));
    }
}
