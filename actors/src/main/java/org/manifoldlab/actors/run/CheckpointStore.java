package org.manifoldlab.actors.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.DenseLayer;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.LocalReadout;
import org.manifoldlab.core.nn.MetricsTally;
import org.manifoldlab.rundir.RunDirectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * checkpoints/ of a run. Each checkpoint is a pair: {@code ckpt-eNNNN[-bNNNNNN].bin} (the arrays,
 * raw little-endian floats; -b names a checkpoint inside the next epoch, after that many batches)
 * and the {@code .json} of the same name (its manifest: epoch, position, step, spec hash,
 * project version, metrics row counts, and the SHA-256 of the .bin). Both are written to a
 * temporary name and renamed, the manifest last, so a checkpoint without a manifest does not
 * exist and one whose bytes do not match its checksum is skipped. The newest {@code keep} are kept.
 */
public final class CheckpointStore {

    private static final int MAGIC = 0x4D4C434B;  // "MLCK"
    /** Floats an array moves through at a time between its native buffer and the file. */
    private static final int CHUNK_FLOATS = 1 << 16;

    private final Path dir;
    private final int keep;

    public CheckpointStore(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
    }

    /** A checkpoint's manifest, as read back. */
    public record Entry(Path manifest, int epoch, int position, long step, String specHash, String version, String sha256) {
    }

    public void write(Checkpoint c, String specHash, String version) throws IOException {
        Files.createDirectories(dir);
        String base = String.format("ckpt-e%04d", c.epoch()) + (c.position() > 0 ? String.format("-b%06d", c.position()) : "");
        // Streamed to the file and hashed on the way: a 784-5x2000 network with Adam's moments is
        // 212 MB, which held in one byte array (and copied as it grew) overran a 1 GB heap.
        MessageDigest sha = DataSources.sha256();
        Path bin = dir.resolve(base + ".bin");
        RunDirectory.writeAtomically(bin, out -> {
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(out, sha), 1 << 20));
            encode(c, data);
            data.flush();
        });
        ObjectNode m = RunDirectory.JSON.createObjectNode();
        m.put("epoch", c.epoch()).put("position", c.position()).put("step", c.step()).put("specHash", specHash).put("version", version)
                .put("restarts", c.restarts())
                .put("file", base + ".bin").put("sha256", HexFormat.of().formatHex(sha.digest())).put("bytes", Files.size(bin));
        ObjectNode rows = m.putObject("metricsRows");
        c.metricsRows().forEach(rows::put);
        if (c.partial() != null) {
            m.set("partial", RunDirectory.JSON.valueToTree(c.partial()));
        }
        try {
            RunDirectory.writeAtomically(dir.resolve(base + ".json"), RunDirectory.JSON.writeValueAsBytes(m));
        } catch (IOException e) {
            Files.deleteIfExists(dir.resolve(base + ".bin"));  // data without its manifest is never read: free its space
            throw e;
        }
        prune();
    }

    /** Manifests present, newest first (their data is not yet verified). */
    public List<Entry> entries() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().matches("ckpt-e\\d{4}(-b\\d{6})?\\.json")).toList()) {
                try {
                    JsonNode m = RunDirectory.JSON.readTree(p.toFile());
                    out.add(new Entry(p, m.get("epoch").intValue(), m.path("position").asInt(0), m.get("step").longValue(),
                            m.get("specHash").textValue(), m.get("version").textValue(), m.get("sha256").textValue()));
                } catch (IOException | RuntimeException unreadable) {
                    out.add(new Entry(p, -1, 0, -1, "", "", ""));
                }
            }
        }
        out.sort(Comparator.comparingLong(Entry::step).reversed());
        return out;
    }

    /**
     * Reads and verifies one checkpoint. Throws with the file named and what is wrong when its
     * manifest is unreadable, its data is missing, or its bytes do not match the checksum.
     */
    public Checkpoint read(Entry e, Activation activation) throws IOException {
        if (e.epoch() < 0) {
            throw new IOException(e.manifest() + ": unreadable checkpoint manifest");
        }
        JsonNode m = RunDirectory.JSON.readTree(e.manifest().toFile());
        Path bin = dir.resolve(m.get("file").textValue());
        if (!Files.exists(bin)) {
            throw new IOException(bin + ": missing (named by " + e.manifest().getFileName() + ")");
        }
        String actual = DataSources.sha256(bin);  // verified before any of it is decoded, without holding the file in memory
        if (!actual.equals(e.sha256())) {
            throw new IOException(bin + ": sha256 " + actual + " does not match its manifest (" + e.sha256() + "): corrupt");
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        m.get("metricsRows").fields().forEachRemaining(f -> rows.put(f.getKey(), f.getValue().longValue()));
        MetricsTally.State partial = m.has("partial") ? RunDirectory.JSON.treeToValue(m.get("partial"), MetricsTally.State.class) : null;
        Checkpoint c;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(bin), 1 << 20))) {
            c = decode(in, e.epoch(), e.step(), rows, m.get("restarts").intValue(), activation);
        }
        return new Checkpoint(c.epoch(), c.step(), c.layers(), c.optimizerState(), c.optimizerSteps(), rows, c.restarts(),
                e.position(), partial);
    }

    private void prune() throws IOException {
        keepNewest(keep);
    }

    /** Deletes all but the newest n checkpoints (n = 0: all of them); returns the bytes freed. */
    public long keepNewest(int n) throws IOException {
        List<Entry> all = entries();
        long freed = 0;
        for (int i = n; i < all.size(); i++) {
            Path manifest = all.get(i).manifest();
            Path data = manifest.resolveSibling(manifest.getFileName().toString().replace(".json", ".bin"));
            freed += (Files.exists(manifest) ? Files.size(manifest) : 0) + (Files.exists(data) ? Files.size(data) : 0);
            Files.deleteIfExists(manifest);
            Files.deleteIfExists(data);
        }
        return freed;
    }

    private static void encode(Checkpoint c, DataOutputStream out) throws IOException {
        ByteBuffer chunk = chunk();
        out.writeInt(MAGIC);
        out.writeInt(c.layers().size());
        for (int i = 0; i < c.layers().size(); i++) {
            LocalLayer l = c.layers().get(i);
            out.writeInt(l.index());
            writeArray(out, l.dense().w(), chunk);
            writeArray(out, l.dense().b(), chunk);
            writeArray(out, l.readout().matrix(), chunk);
            long[] steps = c.optimizerSteps().get(i);
            out.writeInt(steps.length);
            for (long s : steps) {
                out.writeLong(s);
            }
            out.writeInt(c.optimizerState().get(i).size());
            for (INDArray s : c.optimizerState().get(i)) {
                writeArray(out, s, chunk);
            }
        }
    }

    private static Checkpoint decode(DataInputStream in, int epoch, long step, Map<String, Long> rows, int restarts,
                                     Activation activation) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a manifold-lab checkpoint");
        }
        ByteBuffer chunk = chunk();
        int n = in.readInt();
        List<LocalLayer> layers = new ArrayList<>();
        List<List<INDArray>> state = new ArrayList<>();
        List<long[]> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = in.readInt();
            INDArray w = readArray(in, chunk);
            INDArray b = readArray(in, chunk);
            INDArray readout = readArray(in, chunk);
            layers.add(new LocalLayer(index, new DenseLayer((int) w.rows(), (int) w.columns(), activation, w, b), new LocalReadout(readout), null));
            long[] s = new long[in.readInt()];
            for (int k = 0; k < s.length; k++) {
                s[k] = in.readLong();
            }
            steps.add(s);
            List<INDArray> arrays = new ArrayList<>();
            int count = in.readInt();
            for (int k = 0; k < count; k++) {
                arrays.add(readArray(in, chunk));
            }
            state.add(arrays);
        }
        return new Checkpoint(epoch, step, layers, state, steps, rows, restarts);
    }

    /**
     * The floats go from the native buffer to the stream through one chunk of
     * {@link #CHUNK_FLOATS}: no copy of a whole array on the heap (a 2,000-wide layer's weights
     * and moments were three 16 MB arrays each, twice over).
     */
    private static void writeArray(DataOutputStream out, INDArray a, ByteBuffer chunk) throws IOException {
        INDArray c = a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
        out.writeInt(c.rank());
        for (long d : c.shape()) {
            out.writeLong(d);
        }
        FloatBuffer values = c.data().asNioFloat();
        FloatBuffer floats = chunk.asFloatBuffer();
        int n = (int) c.length();
        for (int from = 0; from < n; from += CHUNK_FLOATS) {
            int len = Math.min(CHUNK_FLOATS, n - from);
            floats.put(0, values, from, len);
            out.write(chunk.array(), 0, 4 * len);
        }
    }

    private static INDArray readArray(DataInputStream in, ByteBuffer chunk) throws IOException {
        int rank = in.readInt();
        if (rank < 0 || rank > 4) {
            throw new IOException("checkpoint array of rank " + rank + ": not a manifold-lab checkpoint");
        }
        long[] shape = new long[rank];
        long length = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = in.readLong();
            if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE / 4 || (length *= shape[i]) > Integer.MAX_VALUE / 4) {
                throw new IOException("checkpoint array of shape " + java.util.Arrays.toString(shape) + ": larger than one array holds");
            }
        }
        INDArray out = Nd4j.create(DataType.FLOAT, shape, 'c');
        FloatBuffer values = out.data().asNioFloat();
        FloatBuffer floats = chunk.asFloatBuffer();
        int n = (int) length;
        for (int from = 0; from < n; from += CHUNK_FLOATS) {
            int len = Math.min(CHUNK_FLOATS, n - from);
            in.readFully(chunk.array(), 0, 4 * len);
            values.put(from, floats, 0, len);
        }
        return out;
    }

    /** A little-endian chunk of {@link #CHUNK_FLOATS} floats, on the heap, for one write or read. */
    private static ByteBuffer chunk() {
        return ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
    }
}
