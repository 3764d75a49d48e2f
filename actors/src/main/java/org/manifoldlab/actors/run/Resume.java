package org.manifoldlab.actors.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.manifoldlab.actors.training.LayerGroupTrainer;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.SpecException;
import org.manifoldlab.config.Specs;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.MetricsFiles;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.RunEnd;
import org.manifoldlab.rundir.RunLock;

/**
 * Prepares an interrupted run to continue: checks that its spec and project version are the
 * ones its checkpoints were written with, picks the newest checkpoint whose bytes verify
 * (falling back to older ones), and cuts every metrics file back to the rows it held at that
 * checkpoint, so nothing is written twice.
 */
public final class Resume {

    /** A run that can continue, and from where: checkpoint null means it starts over in place (none was written). */
    public record Plan(RunDirectory run, ExperimentSpec spec, Checkpoint checkpoint, List<String> skipped) {
    }

    /** A run that cannot be resumed; the message says why. */
    public static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        public RefusedException(String message) {
            super(message);
        }
    }

    private Resume() {
    }

    /** SHA-256 of the run's spec.json as stored. */
    public static String specHash(RunDirectory run) throws IOException {
        return DataSources.sha256(Files.readAllBytes(run.spec()));
    }

    /** Refuses a directory that is not a run directory, before anything (a lock file included) is written in it. */
    public static void requireRunDirectory(Path dir) throws RefusedException {
        if (!Files.isRegularFile(new RunDirectory(dir).spec())) {
            throw new RefusedException(dir + ": not a run directory (no spec.json)");
        }
    }

    /**
     * A run in a directory made for it beforehand (a sweep member, a cluster job): reported as it
     * is if it completed, continued from its newest verified checkpoint if it has one, else
     * started over in place. Anything that stands in the way (another owner, a changed spec, a
     * foreign directory) ends it failed with the reason, in one outcome.
     *
     * @param lock the run's lock when the caller holds it already, else null: it is taken here
     */
    public static Behavior<ExperimentSupervisor.Command> startOrContinue(ExperimentSpec spec, Path dir, String version,
            ActorRef<ExperimentSupervisor.Outcome> replyTo, LayerGroupTrainer.Factory factory,
            ActorRef<ExperimentSupervisor.ProgressLine> watcher, RunLock lock) {
        return Behaviors.setup(ctx -> {
            RunDirectory run = new RunDirectory(dir);
            RunLock owned = null;
            try {
                owned = lock != null ? lock : RunLock.acquire(dir);
                if (Files.exists(run.manifest()) && Manifest.COMPLETED.equals(run.readManifest().status())) {
                    owned.close();
                    replyTo.tell(new ExperimentSupervisor.Outcome(run.id(), spec.name(), dir, true, run.readManifest().fingerprint(), ""));
                    return Behaviors.stopped();
                }
                if (!new CheckpointStore(run.checkpoints(), spec.checkpoint().keep()).entries().isEmpty()) {
                    Plan plan = prepare(dir, version);
                    ctx.getLog().info("{}: continuing after epoch {}, step {}", run.id(), plan.checkpoint().epoch(), plan.checkpoint().step());
                    return ExperimentSupervisor.start(plan.spec(), plan.run(), plan.checkpoint(), replyTo, factory, watcher, owned);
                }
                return ExperimentSupervisor.start(spec, run.reset(spec.name()), null, replyTo, factory, watcher, owned);
            } catch (RunLock.HeldException | RefusedException | IOException | RuntimeException e) {
                if (owned != null) {
                    owned.close();
                }
                String reason = RunEnd.reason(e);
                ctx.getLog().error("{}: {}", run.id(), reason);
                replyTo.tell(new ExperimentSupervisor.Outcome(run.id(), spec.name(), dir, false, "", reason));
                return Behaviors.stopped();
            }
        });
    }

    /** The caller holds the run's {@link RunLock}: preparing cuts metrics files back. */
    public static Plan prepare(Path dir, String currentVersion) throws RefusedException, IOException {
        RunDirectory run = new RunDirectory(dir);
        if (!Files.isRegularFile(run.spec())) {
            throw new RefusedException(dir + ": not a run directory (no spec.json)");
        }
        ExperimentSpec spec;
        try {
            spec = Specs.parseOne(Files.readString(run.spec()), true);
        } catch (SpecException e) {
            throw new RefusedException(run.spec() + ": unreadable spec: " + e.getMessage());
        }
        Manifest manifest = Files.exists(run.manifest()) ? run.readManifest() : null;
        if (manifest != null && Manifest.COMPLETED.equals(manifest.status())) {
            throw new RefusedException(dir + ": already completed (fingerprint " + manifest.fingerprint() + ")");
        }
        CheckpointStore store = new CheckpointStore(run.checkpoints(), spec.checkpoint().keep());
        List<CheckpointStore.Entry> entries = store.entries();
        if (entries.isEmpty()) {
            return new Plan(run, spec, null, List.of());  // killed before its first checkpoint: it starts over, in place
        }
        String hash = specHash(run);
        List<String> skipped = new ArrayList<>();
        for (CheckpointStore.Entry e : entries) {
            if (e.epoch() >= 0 && !hash.equals(e.specHash())) {
                throw new RefusedException(run.spec() + ": spec.json changed since checkpoint " + e.manifest().getFileName()
                        + " was written (spec hash " + hash.substring(0, 12) + ", checkpoint's " + e.specHash().substring(0, 12) + ")");
            }
            if (e.epoch() >= 0 && !currentVersion.equals(e.version())) {
                throw new RefusedException(e.manifest() + ": written by manifold-lab " + e.version()
                        + ", this is " + currentVersion + "; resume it with the version that started it");
            }
            try {
                Checkpoint c = store.read(e, Activation.valueOf(spec.network().activation().name()));
                for (Map.Entry<String, Long> rows : c.metricsRows().entrySet()) {
                    Path file = run.metrics().resolve(rows.getKey());
                    long held = MetricsFiles.dataRows(file);
                    if (held < rows.getValue()) {
                        throw new RefusedException(file + ": holds " + held + " rows, but checkpoint " + e.manifest().getFileName()
                                + " was written after " + rows.getValue() + "; the run's metrics were cut or deleted, so it cannot continue"
                                + " where it stopped (start it again with lab run)");
                    }
                }
                for (Map.Entry<String, Long> rows : c.metricsRows().entrySet()) {
                    MetricsFiles.truncate(run.metrics().resolve(rows.getKey()), rows.getValue());
                }
                return new Plan(run, spec, c, skipped);
            } catch (IOException bad) {
                skipped.add(bad.getMessage());
            }
        }
        throw new RefusedException(dir + ": every checkpoint is corrupt:\n  " + String.join("\n  ", skipped));
    }
}
