package org.manifoldlab.cli.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.manifoldlab.actors.run.Checkpoint;
import org.manifoldlab.actors.run.CheckpointStore;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.SpecException;
import org.manifoldlab.config.Specs;
import org.manifoldlab.core.data.Batch;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.rundir.RunDirectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A run's final weights and its probe set's activations at every layer, as .npy files: per
 * layer l, {@code W{l}.npy} [in, width], {@code b{l}.npy} [1, width], {@code B{l}.npy}
 * [width, classes] (the readout), and {@code h{l}.npy} [probes, width]; also {@code x.npy}
 * [probes, inputs] and {@code y.npy} [probes, 1] (labels as floats). The weights are the newest
 * checkpoint's, the probe set the run's own (same seed, same samples).
 */
final class ArrayExport {

    private ArrayExport() {
    }

    /** Writes the files into out; returns their paths. */
    static List<Path> write(Path runDir, Path out) throws IOException {
        RunDirectory run = new RunDirectory(runDir);
        ExperimentSpec spec;
        try {
            spec = Specs.parseOne(Files.readString(run.spec()), true);
        } catch (SpecException e) {
            throw new IOException(run.spec() + ": " + e.getMessage(), e);
        }
        CheckpointStore store = new CheckpointStore(run.checkpoints(), spec.checkpoint().keep());
        List<CheckpointStore.Entry> entries = store.entries();
        if (entries.isEmpty()) {
            throw new IOException(run.checkpoints() + ": no checkpoint holds the weights (checkpoint.afterCompletion: none, or lab clean)");
        }
        Checkpoint c = store.read(entries.get(0), Activation.valueOf(spec.network().activation().name()));
        Dataset probe = DataSources.load(spec.data().source(), spec.seed(), spec.data().testFraction()).test()
                .sample(spec.seed(), spec.data().probeSamples());
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        float[] x = new float[probe.size() * probe.features()];
        float[] y = new float[probe.size()];
        for (int i = 0; i < probe.size(); i++) {
            probe.copyFeatures(i, x, i * probe.features());
            y[i] = probe.label(i);
        }
        written.add(npy(out.resolve("x.npy"), x, probe.size(), probe.features()));
        written.add(npy(out.resolve("y.npy"), y, probe.size(), 1));
        List<float[]> activations = new ArrayList<>();
        for (LocalLayer layer : c.layers()) {
            int l = layer.index();
            written.add(npy(out.resolve("W" + l + ".npy"), layer.dense().w()));
            written.add(npy(out.resolve("b" + l + ".npy"), layer.dense().b().reshape(1, layer.dense().out())));
            written.add(npy(out.resolve("B" + l + ".npy"), layer.readout().matrix()));
            activations.add(new float[probe.size() * layer.dense().out()]);
        }
        Batch batch = new Batch(DataType.FLOAT, 1, probe.features());
        int chunk = 500;
        for (int from = 0; from < probe.size(); from += chunk) {
            int rows = Math.min(chunk, probe.size() - from);
            if (batch.rows() != rows) {
                batch = new Batch(DataType.FLOAT, rows, probe.features());
            }
            INDArray h = batch.fillRange(probe, from).x();
            for (int i = 0; i < c.layers().size(); i++) {
                LocalLayer layer = c.layers().get(i);
                h = layer.forward(h);
                float[] values = h.dup('c').data().asFloat();
                System.arraycopy(values, 0, activations.get(i), from * layer.dense().out(), values.length);
            }
        }
        for (int i = 0; i < c.layers().size(); i++) {
            LocalLayer layer = c.layers().get(i);
            written.add(npy(out.resolve("h" + layer.index() + ".npy"), activations.get(i), probe.size(), layer.dense().out()));
        }
        return written;
    }

    private static Path npy(Path file, INDArray matrix) throws IOException {
        INDArray m = matrix.castTo(DataType.FLOAT).dup('c');
        return npy(file, m.data().asFloat(), (int) m.rows(), (int) m.columns());
    }

    private static Path npy(Path file, float[] values, int rows, int cols) throws IOException {
        Npy.writeFloat32(file, values, rows, cols);
        return file;
    }
}
