package org.manifoldlab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;

/**
 * How cost grows: samples/s and peak RSS of the actor pipeline (one stage per layer) and of the
 * PyTorch peer (the better of 1 and 2 threads) against hidden width (500, 1000, 2000, 4000 at depth 5) and depth
 * (3, 5, 8 at width 1000), batch 64, local errors, Adam, on 5,000 MNIST-10k training digits.
 * Every configuration runs in a process of its own (a JVM with ./lab's 1 GB heap, or python), so
 * its peak RSS is its own. Run: {@code bench/run Scaling [batch [WIDTHxDEPTH ...]]}.
 */
public final class Scaling {

    private static final double TEST_FRACTION = 0.5;
    private static final int EPOCHS = 5;  // the first warms up and the last is left out (PipelineThroughput.epochRates): 3 measured
    private static final int MEASURED = EPOCHS - 2;

    private record Config(int width, int depth) {
        int[] widths() {
            int[] w = new int[depth];
            Arrays.fill(w, width);
            return w;
        }

        String groups() {
            return "[" + java.util.stream.IntStream.rangeClosed(1, depth).mapToObj(l -> "[" + l + "]").collect(Collectors.joining(", ")) + "]";
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(new Config(Integer.parseInt(args[1]), Integer.parseInt(args[2])), Integer.parseInt(args[3]));
            return;
        }
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        List<Config> configs = args.length > 1 ? Arrays.stream(args, 1, args.length).map(Scaling::config).toList()
                : List.of(new Config(500, 5), new Config(1000, 5), new Config(2000, 5), new Config(4000, 5), new Config(1000, 3),
                        new Config(1000, 8));
        Dataset train = DataSources.load("mnist-10k", 1, TEST_FRACTION).train();
        Optional<Peer> peer = Peer.find(train);
        if (peer.isEmpty()) {
            System.out.println("the PyTorch peer is not installed, so only the project is measured; " + Peer.INSTALL);
        }
        List<String> table = new ArrayList<>();
        for (Config c : configs) {
            String project = project(c, batch);
            String theirs = "-";
            if (peer.isPresent()) {
                // Its best thread setting: 1 thread did best on one machine of this kind, 2 on another.
                Peer.Figure one = peer.get().measure(batch, 1, c.widths(), MEASURED);
                Peer.Figure two = peer.get().measure(batch, 2, c.widths(), MEASURED);
                Peer.Figure f = two.median() > one.median() ? two : one;
                theirs = String.format("%8.0f (%5.0f-%5.0f) %7.0f MB, %d thread(s); %d thread(s) %.0f", f.median(), f.min(), f.max(),
                        f.peakRssBytes() / 1e6, f.threads(), f == one ? 2 : 1, (f == one ? two : one).median());
            }
            String line = String.format("%-10s %6d %5d   %-36s %s", "784-" + c.depth() + "x" + c.width(), c.width(), c.depth(), project, theirs);
            System.out.println(line);
            table.add(line);
        }
        System.out.printf("%n== how cost grows: batch %d, %d training digits, samples/s median (min-max) of %d epochs, peak RSS%n",
                batch, train.size(), MEASURED);
        System.out.printf("%-10s %6s %5s   %-36s %s%n", "network", "width", "depth", "project (pipeline, 1 stage a layer)",
                "peer (PyTorch, its better thread count)");
        table.forEach(System.out::println);
    }

    /** WIDTHxDEPTH, e.g. 1000x5. */
    private static Config config(String text) {
        String[] wd = text.split("x");
        if (wd.length != 2) {
            throw new IllegalArgumentException("a configuration is WIDTHxDEPTH, e.g. 1000x5; got " + text);
        }
        return new Config(Integer.parseInt(wd[0]), Integer.parseInt(wd[1]));
    }

    /** One configuration in a JVM of its own, with ./lab's heap; its RESULT line, or why it failed. */
    private static String project(Config c, int batch) throws IOException, InterruptedException {
        Path log = Files.createTempFile("scaling-", ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), Scaling.class.getName(), "child", String.valueOf(c.width()),
                String.valueOf(c.depth()), String.valueOf(batch));
        int code = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        Optional<String> result = lines.stream().filter(l -> l.startsWith("RESULT ")).findFirst();
        if (code != 0 || result.isEmpty()) {
            return "failed (exit " + code + ", log " + log + ")";
        }
        String[] v = result.get().split(" ");
        return String.format("%8.0f (%5.0f-%5.0f) %7.0f MB", Double.parseDouble(v[1]), Double.parseDouble(v[2]),
                Double.parseDouble(v[3]), Double.parseDouble(v[4]) / 1e6);
    }

    private static void child(Config c, int batch) throws Exception {
        Kernels.singleThreaded();
        Harness.Figure f = Harness.figure("pipeline " + c, "samples/s",
                PipelineThroughput.epochRates(batch, c.groups(), c.widths(), TEST_FRACTION, 0, EPOCHS));
        System.out.printf("RESULT %.1f %.1f %.1f %d%n", f.median(), f.min(), f.max(), peakRssBytes());
    }

    /** VmHWM of this process (Linux), in bytes. */
    static long peakRssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
