package org.manifoldlab.rundir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The layout of one run's directory, the only state shared between processes:
 * spec.json, manifest.json, events.jsonl, metrics/*.csv, checkpoints/, report/, lab.log.
 */
public record RunDirectory(Path root) {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).findAndRegisterModules();

    public static final List<String> TRAIN_COLUMNS = List.of(Columns.EPOCH, Columns.LAYER, Columns.SPLIT, Columns.LOSS, Columns.ACCURACY, Columns.SAMPLES);
    public static final List<String> SPECTRUM_COLUMNS = List.of(Columns.EPOCH, Columns.LAYER, Columns.RANK, Columns.EIGENVALUE);
    public static final List<String> SUMMARY_COLUMNS = List.of(Columns.EPOCH, Columns.LAYER, Columns.ALPHA, Columns.R2, Columns.FIT_LO, Columns.FIT_HI, Columns.POINTS,
            Columns.PARTICIPATION_RATIO, Columns.N90, Columns.N95, Columns.SMOOTHNESS_MARGIN, Columns.SAMPLES, Columns.METHOD, Columns.WINDOW, Columns.RANK, Columns.DEAD_UNITS,
            Columns.ALPHA_LO, Columns.ALPHA_HI, Columns.PR_LO, Columns.PR_HI, Columns.JACKKNIFE_BLOCKS, Columns.MANIFOLD_DIM, Columns.MANIFOLD_DIM_LO, Columns.MANIFOLD_DIM_HI,
            Columns.DIM_SOURCE, Columns.MARGIN_LO, Columns.MARGIN_HI, Columns.LAYER_D_TWONN, Columns.LAYER_D_TWONN_LO, Columns.LAYER_D_TWONN_HI, Columns.LAYER_D_LB,
            Columns.LAYER_D_LB_LO, Columns.LAYER_D_LB_HI);
    /**
     * accuracy: right on x' (the standard definition); robust_accuracy: right on both x and x';
     * sanity: "ok" or the failed checks of core's AttackSanity joined by '+'.
     */
    public static final List<String> ROBUSTNESS_COLUMNS = List.of(Columns.EPOCH, Columns.LAYER, Columns.ATTACK, Columns.STRENGTH, Columns.ACCURACY, Columns.ROBUST_ACCURACY,
            Columns.LINF, Columns.L2, Columns.SAMPLES, Columns.TARGET, Columns.SANITY);

    /** metrics/probes.csv: a linear probe (trained softmax readout) per frozen layer, accuracy on the test split. */
    public static final List<String> PROBE_COLUMNS = List.of(Columns.EPOCH, Columns.LAYER, Columns.ACCURACY, Columns.LOSS, Columns.TRAIN_ACCURACY, Columns.SAMPLES,
            Columns.PROBE_EPOCHS, Columns.SEED);

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /**
     * Creates runs/&lt;name&gt;-&lt;timestamp&gt;[-k]: directory creation is atomic, so two processes
     * started in the same second still get two directories.
     */
    public static RunDirectory create(Path runsDir, String name) throws IOException {
        Files.createDirectories(runsDir);
        String base = name + "-" + LocalDateTime.now().format(STAMP);
        for (int k = 1; ; k++) {
            Path candidate = runsDir.resolve(k == 1 ? base : base + "-" + k);
            try {
                Files.createDirectory(candidate);
                RunDirectory run = new RunDirectory(candidate);
                Files.createDirectories(run.metrics());
                Files.createDirectories(run.checkpoints());
                return run;
            } catch (FileAlreadyExistsException taken) {
                // another run took this name; try the next
            }
        }
    }

    /**
     * Empties the directory and lays out its subdirectories again: for a run that must start over
     * in the directory it was given, because nothing in it reached a checkpoint. Only a run
     * directory of the same experiment (its spec.json names it) or a directory that holds nothing
     * but empty metrics/ and checkpoints/ is emptied; anything else is left untouched and refused.
     * The lock file stays: its owner is the caller.
     */
    public RunDirectory reset(String experiment) throws IOException {
        if (Files.isDirectory(root)) {
            String refusal = resetRefusal(experiment);
            if (refusal != null) {
                throw new IOException(root + ": " + refusal + "; nothing in it was deleted");
            }
            try (var entries = Files.walk(root)) {
                for (Path p : (Iterable<Path>) entries.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    if (!p.equals(root) && !p.equals(root.resolve(RunLock.FILE))) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(metrics());
        Files.createDirectories(checkpoints());
        return this;
    }

    /** Why this directory must not be emptied for the experiment, or null when it may. */
    public String resetRefusal(String experiment) throws IOException {
        if (Files.isRegularFile(spec())) {
            String named;
            try {
                named = JSON.readTree(spec().toFile()).path("name").asText("");
            } catch (IOException unreadable) {
                return "its spec.json is not readable JSON";
            }
            return named.equals(experiment) ? null : "it is the run directory of experiment '" + named + "', not '" + experiment + "'";
        }
        try (var entries = Files.list(root)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                boolean emptyLayout = (name.equals("metrics") || name.equals("checkpoints")) && Files.isDirectory(p) && isEmpty(p);
                if (!emptyLayout && !name.equals(RunLock.FILE)) {
                    return "it holds " + name + " but no spec.json, so it is not a run directory";
                }
            }
        }
        return null;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    public String id() {
        return root.getFileName().toString();
    }

    public Path spec() {
        return root.resolve("spec.json");
    }

    public Path manifest() {
        return root.resolve("manifest.json");
    }

    public Path events() {
        return root.resolve("events.jsonl");
    }

    public Path metrics() {
        return root.resolve("metrics");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path log() {
        return root.resolve("lab.log");
    }

    public Path trainCsv() {
        return metrics().resolve("train.csv");
    }

    public Path spectrumCsv() {
        return metrics().resolve("spectrum.csv");
    }

    public Path summaryCsv() {
        return metrics().resolve("spectrum-summary.csv");
    }

    public Path robustnessCsv() {
        return metrics().resolve("robustness.csv");
    }

    public Path probesCsv() {
        return metrics().resolve("probes.csv");
    }

    /** Writes to a temporary name, then renames: a reader never sees half a file. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        writeAtomically(target, out -> out.write(bytes));
    }

    /** A file's content, written to a stream (so that a large one need not be held in memory first). */
    @FunctionalInterface
    public interface Content {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    /** As {@link #writeAtomically(Path, byte[])}, the content streamed to the file (unbuffered: the writer buffers if it writes small pieces). */
    public static void writeAtomically(Path target, Content content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (java.io.OutputStream out = Files.newOutputStream(tmp)) {
            content.writeTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);  // a disk that filled up mid-write leaves no half file behind
            throw e;
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public Manifest readManifest() throws IOException {
        return JSON.readValue(manifest().toFile(), Manifest.class);
    }

    public void writeManifest(Manifest manifest) throws IOException {
        writeAtomically(manifest(), JSON.writeValueAsBytes(manifest));
    }
}
