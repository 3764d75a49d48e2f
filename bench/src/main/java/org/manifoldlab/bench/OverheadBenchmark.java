package org.manifoldlab.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.manifoldlab.core.Kernels;
import org.slf4j.LoggerFactory;

/**
 * What fault tolerance and monitoring cost the actor pipeline (784-5x1000, 5 groups, batch 64,
 * MNIST-10k): training throughput with and without a checkpoint after every epoch, the size of
 * one checkpoint, and throughput with INFO against WARN logging. Alternating runs, 3 each, median.
 * Run: {@code bench/run OverheadBenchmark}.
 */
public final class OverheadBenchmark {

    private static final String GROUPS = "[[1], [2], [3], [4], [5]]";

    public static void main(String[] args) throws Exception {
        Kernels.singleThreaded();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        double[] without = new double[3];
        double[] with = new double[3];
        double[] info = new double[3];
        double[] warn = new double[3];
        long checkpointBytes = 0;
        for (int i = 0; i < 3; i++) {
            root.setLevel(Level.WARN);
            without[i] = PipelineThroughput.pipeline(64, GROUPS, 0, 5);
            with[i] = PipelineThroughput.pipeline(64, GROUPS, 1, 5);
            checkpointBytes = binBytes(PipelineThroughput.lastRun.resolve("checkpoints"));
            warn[i] = without[i];
            root.setLevel(Level.INFO);
            info[i] = PipelineThroughput.pipeline(64, GROUPS, 0, 5);
            System.out.printf("round %d: no checkpoints %.0f, checkpoint every epoch %.0f, INFO logging %.0f samples/s%n",
                    i + 1, without[i], with[i], info[i]);
        }
        double w = median(without);
        double c = median(with);
        System.out.printf("checkpoint every epoch: %.0f vs %.0f samples/s, %.1f%% slower; one checkpoint is %.1f MB%n",
                c, w, 100 * (1 - c / w), checkpointBytes / 1e6);
        System.out.printf("console logging INFO vs WARN: %.0f vs %.0f samples/s, %.1f%% difference%n",
                median(info), median(warn), 100 * (1 - median(info) / median(warn)));
    }

    private static long binBytes(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".bin")).mapToLong(p -> p.toFile().length()).max().orElse(0);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
