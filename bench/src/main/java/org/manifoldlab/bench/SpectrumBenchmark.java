package org.manifoldlab.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.openblas.global.openblas;
import org.manifoldlab.core.data.Batch;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.spectrum.CovarianceAccumulator;
import org.manifoldlab.core.spectrum.PowerLawFit;
import org.manifoldlab.core.spectrum.Spectrum;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One layer's full spectral analysis, core against numpy in the same run: accumulate 10,000 x 1,000
 * float activations (streamed in batches of 500 rows), eigenvalues of the covariance, power-law
 * fit over 10..500. The activations are hidden layer 2 of an untrained 784-1000-1000 ReLU network
 * on MNIST-10k's 10,000 digits. numpy gets the same floats through a raw float32 file and does
 * the same in float64 at its fastest (whole matrix, one syrk, eigvalsh, polyfit).
 * Run: {@code bench/run SpectrumBenchmark [batchRows] [repeats] [chunkRows]}.
 */
public final class SpectrumBenchmark {

    private static final int SAMPLES = 10_000;
    private static final int WIDTH = 1000;
    private static final PowerLawFit.Window WINDOW = PowerLawFit.Window.DEFAULT;
    private static final int WARMUPS = 2;

    public static void main(String[] args) throws IOException, InterruptedException {
        int batchRows = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int chunkRows = args.length > 2 ? Integer.parseInt(args[2]) : CovarianceAccumulator.DEFAULT_CHUNK_ROWS;
        float[] activations = layerTwoActivations();
        System.out.printf("%d x %d float activations, batches of %d rows, chunks of %d, window %s, %d cores, OpenBLAS threads %d%n",
                SAMPLES, WIDTH, batchRows, chunkRows, WINDOW, Runtime.getRuntime().availableProcessors(), openblas.blas_get_num_threads());

        List<INDArray> fBatches = batches(activations, batchRows, 'f');
        List<INDArray> cBatches = batches(activations, batchRows, 'c');
        CovarianceAccumulator acc = new CovarianceAccumulator(WIDTH, chunkRows);
        Harness.header();
        Harness.Figure javaF = Harness.measure("core: accumulate + eigenvalues + fit, 'f' batches", "ms", WARMUPS, repeats,
                () -> millis(() -> analyse(acc, fBatches)));
        Harness.Figure javaC = Harness.measure("core: accumulate + eigenvalues + fit, 'c' batches", "ms", WARMUPS, repeats,
                () -> millis(() -> analyse(acc, cBatches)));
        Harness.Figure javaArrays = Harness.measure("core: accumulate + eigenvalues + fit, float[] batches", "ms", WARMUPS, repeats,
                () -> millis(() -> analyseArrays(acc, activations, batchRows)));
        Harness.measure("  of which accumulate, 'f' batches", "ms", WARMUPS, repeats, () -> millis(() -> accumulate(acc, fBatches)));
        Spectrum[] spectrum = new Spectrum[1];
        Harness.measure("  of which eigenvalues (LAPACKE_dsyevd, jobz N)", "ms", WARMUPS, repeats,
                () -> millis(() -> spectrum[0] = acc.spectrum()));
        Harness.measure("  of which fit", "ms", WARMUPS, repeats, () -> millis(() -> PowerLawFit.fit(spectrum[0], WINDOW, false)));
        PowerLawFit.Result fit = PowerLawFit.fit(spectrum[0], WINDOW, false);

        Map<String, String> numpy = runNumpy(activations, repeats);
        double[] total = parseFigure(numpy.get("total_ms"));
        Harness.Figure numpyFigure = new Harness.Figure("numpy: float64 cov + eigvalsh + polyfit", "ms", total[0], total[1], total[2]);
        System.out.println(numpyFigure);
        for (String phase : new String[] {"covariance", "eigenvalues", "fit"}) {
            double[] f = parseFigure(numpy.get(phase + "_ms"));
            System.out.println(new Harness.Figure("  of which " + phase, "ms", f[0], f[1], f[2]));
        }
        System.out.println(numpy.get("numpy") + ", BLAS " + numpy.get("blas"));

        double numpyAlpha = Double.parseDouble(numpy.get("alpha"));
        double numpyLambda1 = Double.parseDouble(numpy.get("lambda1"));
        System.out.printf("alpha: core %.12f, numpy %.12f (|diff| %.1e); R^2 %.5f; lambda_1: core %.10g, numpy %.10g%n",
                fit.alpha(), numpyAlpha, Math.abs(fit.alpha() - numpyAlpha), fit.r2(), spectrum[0].eigenvalue(1), numpyLambda1);
        if (Math.abs(fit.alpha() - numpyAlpha) > 1e-8) {
            throw new IllegalStateException("core and numpy disagree on alpha: " + fit.alpha() + " vs " + numpyAlpha);
        }
        System.out.printf("ratio core / numpy (medians): 'f' %.2f, 'c' %.2f, float[] %.2f   (target <= 1.0: no slower than numpy)%n",
                javaF.median() / numpyFigure.median(), javaC.median() / numpyFigure.median(),
                javaArrays.median() / numpyFigure.median());
        System.out.printf("ratio core / numpy (minima, less sensitive to a busy machine): 'f' %.2f, 'c' %.2f, float[] %.2f%n",
                javaF.min() / numpyFigure.min(), javaC.min() / numpyFigure.min(), javaArrays.min() / numpyFigure.min());
    }

    /** Hidden layer 2 of an untrained 784-1000-1000 ReLU network on all of MNIST-10k, row-major. */
    static float[] layerTwoActivations() throws IOException {
        Dataset digits = DataSources.embeddedMnist10k();
        Network net = Network.create(new Network.Shape(784, new int[] {WIDTH, WIDTH}, 10, Activation.RELU, 1.0), null, DataType.FLOAT, 1);
        float[] out = new float[SAMPLES * WIDTH];
        int rows = 500;
        Batch batch = new Batch(DataType.FLOAT, rows, digits.features());
        for (int from = 0; from < SAMPLES; from += rows) {
            INDArray h = net.layer(2).forward(net.layer(1).forward(batch.fillRange(digits, from).x()));
            System.arraycopy(h.dup('c').data().asFloat(), 0, out, from * WIDTH, rows * WIDTH);
        }
        return out;
    }

    /** Separate arrays, as an analyzer receives them. */
    private static List<INDArray> batches(float[] x, int rows, char order) {
        List<INDArray> out = new ArrayList<>();
        for (int from = 0; from < SAMPLES; from += rows) {
            int n = Math.min(rows, SAMPLES - from);
            float[] part = java.util.Arrays.copyOfRange(x, from * WIDTH, (from + n) * WIDTH);
            out.add(Nd4j.create(part, new long[] {n, WIDTH}, 'c').dup(order));
        }
        return out;
    }

    private static void accumulate(CovarianceAccumulator acc, List<INDArray> batches) {
        acc.reset();
        for (INDArray b : batches) {
            acc.accumulate(b);
        }
    }

    private static PowerLawFit.Result analyse(CovarianceAccumulator acc, List<INDArray> batches) {
        accumulate(acc, batches);
        return PowerLawFit.fit(acc.spectrum(), WINDOW, false);
    }

    static PowerLawFit.Result analyseArrays(CovarianceAccumulator acc, float[] x, int rows) {
        acc.reset();
        float[] part = new float[rows * WIDTH];  // an actor message's payload
        for (int from = 0; from < SAMPLES; from += rows) {
            int n = Math.min(rows, SAMPLES - from);
            float[] payload = n == rows ? part : new float[n * WIDTH];
            System.arraycopy(x, from * WIDTH, payload, 0, n * WIDTH);
            acc.accumulate(payload, n, WIDTH);
        }
        return PowerLawFit.fit(acc.spectrum(), WINDOW, false);
    }

    static double millis(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    static Map<String, String> runNumpy(float[] x, int repeats) throws IOException, InterruptedException {
        Path data = Files.createTempFile("spectrum-bench-", ".f32");
        Path script = Files.createTempFile("spectrum_numpy-", ".py");
        try {
            Harness.writeFloat32(data, x);
            try (InputStream in = SpectrumBenchmark.class.getResourceAsStream("spectrum_numpy.py")) {
                Files.write(script, in.readAllBytes());
            }
            Process p = new ProcessBuilder("python3", script.toString(), data.toString(), String.valueOf(SAMPLES),
                    String.valueOf(WIDTH), String.valueOf(WINDOW.lo()), String.valueOf(WINDOW.hi()), String.valueOf(WARMUPS),
                    String.valueOf(repeats)).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("python3 failed:\n" + output);
            }
            Map<String, String> values = new HashMap<>();
            for (String line : output.split("\n")) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    values.put(line.substring(0, space), line.substring(space + 1).trim());
                }
            }
            return values;
        } finally {
            Files.deleteIfExists(data);
            Files.deleteIfExists(script);
        }
    }

    static double[] parseFigure(String minMedianMax) {
        String[] parts = minMedianMax.trim().split("\\s+");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
    }
}
