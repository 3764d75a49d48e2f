package org.manifoldlab.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.manifoldlab.actors.run.ExperimentPlan;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.Specs;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;
import org.manifoldlab.core.nn.TrainingMode;

/**
 * The default `./lab run` as a user starts it (the launcher, its heap, its native environment),
 * N times in a row: wall time and peak RSS (GNU time), and each run's fingerprint against the
 * plain loop's on the same spec, trained here with the same single-threaded kernels.
 * Run from the project's root: {@code bench/run DefaultRun [runs]}.
 */
public final class DefaultRun {

    private static final Pattern FINGERPRINT = Pattern.compile("completed, fingerprint ([0-9a-f]{64})");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path lab = Path.of("lab").toAbsolutePath();
        if (!Files.isExecutable(lab) || !Files.isExecutable(Path.of("/usr/bin/time"))) {
            throw new IllegalStateException("run from the project's root, with GNU time installed (/usr/bin/time)");
        }
        double[] wall = new double[runs];
        double[] rss = new double[runs];
        List<String> fingerprints = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Path dir = Files.createTempDirectory("bench-default-run");
            Path time = dir.resolve("time.txt");
            Path log = dir.resolve("run.log");
            int code = new ProcessBuilder("/usr/bin/time", "-f", "%e %M", "-o", time.toString(), lab.toString(), "run", "--runs-dir",
                    dir.resolve("runs").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
            if (code != 0) {
                throw new IllegalStateException("./lab run exited " + code + "; its output: " + log);
            }
            String[] v = Files.readString(time).trim().split("\\s+");
            wall[i] = Double.parseDouble(v[v.length - 2]);
            rss[i] = Double.parseDouble(v[v.length - 1]) / 1024;
            Matcher m = FINGERPRINT.matcher(Files.readString(log, StandardCharsets.UTF_8));
            fingerprints.add(m.find() ? m.group(1) : "none in " + log);
            System.out.printf("run %d: %.1f s, peak RSS %.0f MB, fingerprint %s%n", i + 1, wall[i], rss[i], fingerprints.get(i));
        }
        String plain = plainLoopFingerprint(Specs.parseOne(Files.readString(Path.of("experiments/quick.yaml")), false));
        Harness.header();
        Harness.figure("./lab run (experiments/quick.yaml), wall", "s", wall);
        Harness.figure("./lab run (experiments/quick.yaml), peak RSS", "MB", rss);
        System.out.println("plain loop, same spec, 1 BLAS thread: fingerprint " + plain);
        System.out.println("every run's fingerprint equals the plain loop's: " + fingerprints.stream().allMatch(plain::equals));
    }

    /** The spec's network trained by core's plain loop with the actor system's kernel threads. */
    static String plainLoopFingerprint(ExperimentSpec spec) throws Exception {
        Kernels.singleThreaded();
        Dataset.Split data = DataSources.load(spec.data().source(), spec.seed(), spec.data().testFraction());
        Network net = ExperimentPlan.network(spec, data.train());
        PlainTrainer trainer = new PlainTrainer(net, TrainingMode.valueOf(spec.training().mode().name()), spec.training().batchSize(),
                spec.training().epochs(), spec.seed());
        for (int e = 1; e <= spec.training().epochs(); e++) {
            trainer.trainEpoch(data.train(), e);
        }
        return net.fingerprint();
    }
}
