package org.manifoldlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.manifoldlab.core.data.Dataset;

/**
 * The peer: the same local-error network, loss, optimizer and data in PyTorch
 * ({@code bench/peer/local_errors.py}, Debian's python3-torch), run as a child process on the
 * project's own training split. Absent PyTorch, {@link #find} says how to install it.
 */
public final class Peer {

    /** What to install when the peer is missing (Debian: torch, and the threaded OpenBLAS it needs to be fast). */
    public static final String INSTALL = "apt-get install python3-torch libopenblas0-pthread python3-numpy";

    /** One peer measurement: samples/s of each measured epoch, their median, its peak RSS and settings. */
    public record Figure(int threads, int batch, double[] samplesPerSecond, double median, long peakRssBytes, String settings) {
        public double min() {
            return Arrays.stream(samplesPerSecond).min().orElse(Double.NaN);
        }

        public double max() {
            return Arrays.stream(samplesPerSecond).max().orElse(Double.NaN);
        }
    }

    private final String python;
    private final Path work;
    private final Path script;
    private final Path images;
    private final Path labels;

    private Peer(String python, Dataset train) throws IOException {
        this.python = python;
        this.work = Files.createTempDirectory("manifold-lab-peer");
        this.script = work.resolve("local_errors.py");
        try (InputStream in = Peer.class.getResourceAsStream("peer/local_errors.py")) {
            if (in == null) {
                throw new IOException("the peer's script is not in the bench jar (bench/peer/local_errors.py)");
            }
            Files.write(script, in.readAllBytes());
        }
        this.images = work.resolve("images.f32");
        this.labels = work.resolve("labels.i32");
        writeSplit(train, images, labels);
    }

    /**
     * A peer on this training split, when a python3 with torch and numpy is installed (Debian's
     * /usr/bin/python3 first: it has python3-torch; another python3 on the PATH may not).
     */
    public static Optional<Peer> find(Dataset train) throws IOException {
        for (String python : List.of("/usr/bin/python3", "python3")) {
            if (imports(python)) {
                return Optional.of(new Peer(python, train));
            }
        }
        return Optional.empty();
    }

    private static boolean imports(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch, numpy").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Samples/s of the peer's epochs (one warm-up, then {@code epochs} measured) at this batch, thread count and widths. */
    public Figure measure(int batch, int threads, int[] widths, int epochs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--images", images.toString(), "--labels",
                labels.toString(), "--batch", String.valueOf(batch), "--threads", String.valueOf(threads), "--epochs",
                String.valueOf(epochs), "--widths", Arrays.stream(widths).mapToObj(String::valueOf).collect(Collectors.joining(","))));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("the peer failed (exit " + p.exitValue() + "): " + String.join(" ", command) + "\n" + output);
        }
        JsonNode json = new ObjectMapper().readTree(output.lines().reduce((a, b) -> b).orElse("{}"));
        double[] rates = new double[json.get("samplesPerSecond").size()];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = json.get("samplesPerSecond").get(i).asDouble();
        }
        return new Figure(threads, batch, rates, json.get("median").asDouble(), json.get("peakRssBytes").asLong(),
                "torch " + json.get("torch").asText() + ", " + json.get("settings").toString());
    }

    /** The peer at 1 and 2 threads; the better median is its figure (OpenMP on 2 busy cores can lose badly). */
    public List<Figure> measureThreads(int batch, int[] widths, int epochs) throws IOException, InterruptedException {
        List<Figure> out = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            out.add(measure(batch, threads, widths, epochs));
        }
        return out;
    }

    public static Figure best(List<Figure> figures) {
        return figures.stream().max((a, b) -> Double.compare(a.median(), b.median())).orElseThrow();
    }

    /** Raw little-endian float32 images [n, features] and int32 labels [n], as numpy.fromfile reads them. */
    static void writeSplit(Dataset data, Path images, Path labels) throws IOException {
        int n = data.size();
        int f = data.features();
        float[] x = new float[n * f];
        ByteBuffer y = ByteBuffer.allocate(n * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            data.copyFeatures(i, x, i * f);
            y.putInt(data.label(i));
        }
        Harness.writeFloat32(images, x);
        Files.write(labels, y.array());
    }
}
