package org.manifoldlab.actors.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.OptimizerSpec;
import org.manifoldlab.core.data.DataSources;

/**
 * When a queued experiment may start. A count limit always holds. The automatic policy adds
 * the shared last-level cache: an experiment's training streams its weights, gradients and
 * optimizer state on every step, and experiments that each fit the cache but together do not
 * evict one another, so every step then goes to memory. Measured on 2 cores and a 32 MB L3
 * (docs/PERFORMANCE.md): four 784-3x150 experiments at once finish 12% sooner than in a row,
 * four 784-3x500 ones (14 MB each) take 18% more CPU and finish no sooner.
 *
 * <p>Memory bounds every policy: the experiments running in this process share its Java heap
 * (data sets, optimizer state) and its memory, and each alone passed {@link Preflight}. One that
 * would overflow either beside the running ones waits for them, instead of failing with an
 * OutOfMemoryError that would take the others down.
 *
 * @param maxConcurrent at most this many experiments at once
 * @param cacheBytes    the shared cache the running experiments' working sets should fit
 *                      together; 0 leaves only the count limit
 * @param heapBytes     the Java heap the running experiments' estimates may fill together; 0: unbounded
 * @param memoryBytes   the memory the running experiments' estimates may take together; 0: unbounded
 */
public record Admission(int maxConcurrent, long cacheBytes, Map<String, DataSources.Shape> shapes, long heapBytes, long memoryBytes) {

    /** What one experiment takes: its training working set (for the cache), its Java heap and all its memory, in bytes. */
    public record Footprint(long workingSet, long heap, long memory) {
    }

    /** Bytes per weight: the actors train in single precision. */
    private static final int FLOAT_BYTES = 4;
    /** The shape assumed for a source whose shape was not given: 28 x 28 images of 10 classes, as every built-in source. */
    private static final DataSources.Shape MNIST_SHAPE = new DataSources.Shape(784, 10, 0, 0);

    public Admission {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be positive, got " + maxConcurrent);
        }
        shapes = Map.copyOf(shapes);
    }

    /** A count limit and a cache, with no memory bound. */
    public Admission(int maxConcurrent, long cacheBytes) {
        this(maxConcurrent, cacheBytes, Map.of(), 0, 0);
    }

    /** The same admission, with working sets sized by the data sources' real input size and class count. */
    public Admission withShapes(Map<String, DataSources.Shape> sourceShapes) {
        return new Admission(maxConcurrent, cacheBytes, sourceShapes, heapBytes, memoryBytes);
    }

    /** The same admission, bounded by this process's heap ({@link Preflight#HEAP_SHARE} of -Xmx) and memory. */
    public Admission withProcessMemory() {
        return new Admission(maxConcurrent, cacheBytes, shapes, (long) (Preflight.HEAP_SHARE * Runtime.getRuntime().maxMemory()),
                Preflight.processMemoryBytes());
    }

    /** The working set of spec, from its data source's shape when known. */
    public long workingSetOf(ExperimentSpec spec) {
        DataSources.Shape shape = shapes.getOrDefault(spec.data().source(), MNIST_SHAPE);
        return workingSetBytes(spec, shape.features(), shape.classes());
    }

    /** What spec takes, from its data source's shape when known (else without its data set's heap). */
    public Footprint footprintOf(ExperimentSpec spec) {
        DataSources.Shape shape = shapes.getOrDefault(spec.data().source(), MNIST_SHAPE);
        Preflight.Estimate e = Preflight.estimate(spec, shape);
        return new Footprint(workingSetBytes(spec, shape.features(), shape.classes()), e.heapBytes(), e.bytes());
    }

    /** Exactly n at once, as this process's memory allows: what the user asked for with --max-concurrent. */
    public static Admission fixed(int n) {
        return new Admission(n, 0).withProcessMemory();
    }

    /** Up to one experiment per core, as long as their working sets share this machine's last-level cache and its memory. */
    public static Admission automatic() {
        return new Admission(Math.max(1, Runtime.getRuntime().availableProcessors()), lastLevelCacheBytes(Path.of("/sys/devices/system/cpu/cpu0/cache")))
                .withProcessMemory();
    }

    /**
     * Whether next may start beside the running experiments: always when nothing runs; else
     * within the count, their estimates together within the heap and memory bounds, and their
     * working sets as {@link #admits(Collection, long)} allows.
     */
    public boolean admitsFootprint(Collection<Footprint> running, Footprint next) {
        if (running.isEmpty()) {
            return true;
        }
        return fitsMemory(running, next) && admits(running.stream().map(Footprint::workingSet).toList(), next.workingSet());
    }

    /** Whether next's heap and memory estimates fit beside the running ones' (always, for a bound of 0). */
    public boolean fitsMemory(Collection<Footprint> running, Footprint next) {
        long heap = next.heap();
        long memory = next.memory();
        for (Footprint f : running) {
            heap = saturatingAdd(heap, f.heap());
            memory = saturatingAdd(memory, f.memory());
        }
        return (heapBytes <= 0 || heap <= heapBytes) && (memoryBytes <= 0 || memory <= memoryBytes);
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * Whether next may start beside the running experiments' working sets. One always may when
     * nothing runs. Beyond that, with a cache: when all fit together, or when next and every
     * running one each overflow the cache alone (they stream from memory anyway, so sharing
     * loses no locality and fills idle cores).
     */
    public boolean admits(Collection<Long> running, long next) {
        if (running.isEmpty()) {
            return true;
        }
        if (running.size() >= maxConcurrent) {
            return false;
        }
        if (cacheBytes <= 0) {
            return true;
        }
        long together = next + running.stream().mapToLong(Long::longValue).sum();
        boolean allOverflowAlone = next > cacheBytes && running.stream().allMatch(b -> b > cacheBytes);
        return together <= cacheBytes || allOverflowAlone;
    }

    /**
     * The bytes one training step touches: every layer's and readout's weights and biases, times
     * the copies the optimizer keeps beside them (the gradient, and Adam's two moments or SGD's
     * velocity).
     */
    public static long workingSetBytes(ExperimentSpec spec) {
        return workingSetBytes(spec, MNIST_SHAPE.features(), MNIST_SHAPE.classes());
    }

    /** As {@link #workingSetBytes(ExperimentSpec)} for inputs of the given size and classes. */
    public static long workingSetBytes(ExperimentSpec spec, int inputs, int classes) {
        long parameters = 0;
        long in = inputs;
        for (int width : spec.network().widths()) {
            parameters += (long) in * width + width + (long) width * classes + classes;
            in = width;
        }
        OptimizerSpec optimizer = spec.training().optimizer();
        int copies = switch (optimizer.type()) {
            case ADAM -> 4;
            case SGD -> optimizer.momentum() > 0 ? 3 : 2;
        };
        return parameters * copies * FLOAT_BYTES;
    }

    /** The largest unified cache under a sysfs cpu cache directory, or 0 when it cannot be read. */
    static long lastLevelCacheBytes(Path cacheDir) {
        long best = 0;
        try (var indices = Files.list(cacheDir)) {
            for (Path index : (Iterable<Path>) indices.filter(p -> p.getFileName().toString().startsWith("index"))::iterator) {
                String type = Files.readString(index.resolve("type")).trim();
                if (type.equals("Unified")) {
                    best = Math.max(best, parseSize(Files.readString(index.resolve("size")).trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return best;
    }

    /** sysfs sizes: "32768K", "2M", or plain bytes. */
    static long parseSize(String size) {
        char unit = Character.toUpperCase(size.charAt(size.length() - 1));
        return switch (unit) {
            case 'K' -> Long.parseLong(size.substring(0, size.length() - 1)) << 10;
            case 'M' -> Long.parseLong(size.substring(0, size.length() - 1)) << 20;
            case 'G' -> Long.parseLong(size.substring(0, size.length() - 1)) << 30;
            default -> Long.parseLong(size);
        };
    }
}
