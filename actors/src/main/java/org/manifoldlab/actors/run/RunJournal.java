package org.manifoldlab.actors.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.Specs;
import org.manifoldlab.core.nn.LayerMetrics;
import org.manifoldlab.rundir.Csv;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.RunEnd;
import org.manifoldlab.rundir.RunLock;

/**
 * What an experiment's supervisor writes into its run directory, through the recorder it
 * spawns and watches: events, each epoch's train rows and checkpoint, and the manifest from
 * start to end. It tells the outcome exactly once: completed only after the recorder has
 * flushed every file; failed with the reason, even when the recorder is gone (the manifest is
 * then written directly, as far as the disk allows); or, when the supervisor is stopped from
 * outside, no outcome and an interrupted manifest.
 */
final class RunJournal {

    private final ActorContext<ExperimentSupervisor.Command> ctx;
    private final ExperimentSpec spec;
    private final RunDirectory run;
    private final ActorRef<ExperimentSupervisor.Outcome> replyTo;
    private final RunLock lock;
    private final ActorRef<RunRecorder.Command> recorder;
    private final CheckpointStore checkpoints;
    private final String specHash;
    private Manifest manifest;
    private boolean ended;
    /** Wall seconds spent in each phase so far. */
    private final Map<String, Double> wall = new java.util.TreeMap<>(Map.of("training", 0.0, "analysis", 0.0, "attacks", 0.0));

    /** Writes the manifest as running (after fromEpoch epochs) and spawns the recorder. */
    RunJournal(ActorContext<ExperimentSupervisor.Command> ctx, ExperimentSpec spec, RunDirectory run, int fromEpoch,
               ActorRef<ExperimentSupervisor.Outcome> replyTo, RunLock lock) throws IOException {
        this.ctx = ctx;
        this.spec = spec;
        this.run = run;
        this.replyTo = replyTo;
        this.lock = lock;
        this.specHash = Resume.specHash(run);
        this.checkpoints = new CheckpointStore(run.checkpoints(), spec.checkpoint().keep());
        this.manifest = manifest(spec, run, Manifest.RUNNING, fromEpoch, "").withProvenance(Provenance.ofThisProcess());
        if (fromEpoch > 0 && java.nio.file.Files.exists(run.manifest())) {
            try {
                Manifest before = run.readManifest();
                wall.putAll(before.wallSeconds());  // a resumed run goes on counting
                warnIfOtherKernels(ctx, run.id(), before.provenance(), manifest.provenance());
            } catch (IOException unreadable) {
                // the times of the interrupted part are lost; the run is not
            }
        }
        run.writeManifest(manifest.withWallSeconds(java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(wall))));
        this.recorder = ctx.spawn(RunRecorder.create(run, run.id()), "recorder");
        ctx.watch(recorder);
    }

    /** The provenance keys of the OpenBLAS a run's process used: the kernels it chose, and its version. */
    private static final String KERNELS = "openblasCoretype";
    private static final String OPENBLAS = "openblas";

    /**
     * A run resumed under other OpenBLAS kernels than it was trained with goes on correctly, but
     * its weights are no longer bit-identical to an uninterrupted run's: said once, with the cure.
     * Another OpenBLAS version is said too: its kernels may round differently (the default run's
     * weights came out the same from 0.3.19 and 0.3.31, its eigenvalues not in their last digits).
     */
    private static void warnIfOtherKernels(ActorContext<?> ctx, String runId, Map<String, Object> before, Map<String, Object> now) {
        Object kernels = before.get(KERNELS);
        if (kernels != null && !kernels.equals(now.get(KERNELS))) {
            ctx.getLog().warn("{}: trained so far with OpenBLAS kernels {}, resumed with {}: the rest is not bit-identical to an "
                    + "uninterrupted run (LAB_OPENBLAS_CORETYPE={} resumes with the same kernels)", runId, kernels, now.get(KERNELS), kernels);
        }
        Object version = before.get(OPENBLAS);
        if (version != null && !version.equals(now.get(OPENBLAS))) {
            ctx.getLog().warn("{}: trained so far with OpenBLAS {}, resumed with OpenBLAS {}: the rest may differ from an uninterrupted "
                    + "run in its last bits (a build with OpenBLAS {} resumes it bit for bit)", runId, version, now.get(OPENBLAS), version);
        }
    }

    private static Manifest manifest(ExperimentSpec spec, RunDirectory run, String status, int epochs, String reason) {
        String now = Instant.now().toString();
        return new Manifest(run.id(), spec.name(), spec.seed(), spec.version(), status, spec.training().epochs(), epochs, "", reason, now, now,
                Manifest.thisHost(), ProcessHandle.current().pid());
    }

    /**
     * The start of a run, whatever happens: takes the run's lock unless given, writes spec.json for
     * a fresh start, and builds the supervisor. A failure on the way ends the run failed with the
     * reason (manifest and outcome) and leaves the directory free.
     */
    static Behavior<ExperimentSupervisor.Command> start(ActorContext<ExperimentSupervisor.Command> ctx, ExperimentSpec spec, RunDirectory run,
                                                       Checkpoint from, ActorRef<ExperimentSupervisor.Outcome> replyTo, RunLock lock,
                                                       Starter starter) {
        RunLock owned;
        try {
            owned = lock != null ? lock : RunLock.acquire(run.root());
        } catch (RunLock.HeldException | IOException e) {
            ctx.getLog().error("{}: {}", run.id(), RunEnd.reason(e));
            replyTo.tell(new ExperimentSupervisor.Outcome(run.id(), spec.name(), run.root(), false, "", RunEnd.reason(e)));
            return Behaviors.stopped();
        }
        try {
            if (from == null) {
                RunDirectory.writeAtomically(run.spec(), Specs.toJson(spec).getBytes(StandardCharsets.UTF_8));
            }
            return starter.start(owned);
        } catch (Exception e) {
            String reason = RunEnd.reason(e);
            ctx.getLog().error(run.id() + ": failed to start: " + reason, e);
            String unwritten = RunEnd.writeManifest(run, manifest(spec, run, Manifest.FAILED, from == null ? 0 : from.epoch(), reason));
            owned.close();
            replyTo.tell(new ExperimentSupervisor.Outcome(run.id(), spec.name(), run.root(), false, "",
                    unwritten == null ? reason : reason + " (" + unwritten + ")"));
            return Behaviors.stopped();
        }
    }

    /** Makes the run's directory under runsDir and starts it there; a directory that cannot be made ends the run failed. */
    static Behavior<ExperimentSupervisor.Command> inNewDirectory(ActorContext<ExperimentSupervisor.Command> ctx, ExperimentSpec spec,
            java.nio.file.Path runsDir, ActorRef<ExperimentSupervisor.Outcome> replyTo,
            java.util.function.Function<RunDirectory, Behavior<ExperimentSupervisor.Command>> start) {
        try {
            return start.apply(RunDirectory.create(runsDir, spec.name()));
        } catch (IOException e) {
            String reason = "cannot make a run directory in " + runsDir + ": " + RunEnd.reason(e);
            ctx.getLog().error("{}: {}", spec.name(), reason);
            replyTo.tell(new ExperimentSupervisor.Outcome(spec.name(), spec.name(), runsDir, false, "", reason));
            return Behaviors.stopped();
        }
    }

    /** Builds the supervisor once the run's lock is held. */
    interface Starter {
        Behavior<ExperimentSupervisor.Command> start(RunLock lock) throws Exception;
    }

    ActorRef<RunRecorder.Command> recorder() {
        return recorder;
    }

    boolean isRecorder(ActorRef<?> ref) {
        return recorder.equals(ref);
    }

    void event(String type, Map<String, Object> fields) {
        recorder.tell(new RunRecorder.Event(type, ctx.getSelf().path().toString(), fields));
    }

    /**
     * An epoch's train rows (then its validation rows, when validation is not null) and event, its
     * checkpoint when one is due, and the manifest's epoch count. The validation rows are written
     * before the checkpoint, which so counts them: a run resumed from it has the history the
     * early-stopping rule reads.
     */
    void epochTrained(int epoch, long step, List<LayerMetrics> metrics, List<LayerMetrics> validation, Checkpoint state, boolean checkpoint) {
        List<Csv.TrainRow> rows = new ArrayList<>();
        for (LayerMetrics m : metrics) {
            rows.add(new Csv.TrainRow(epoch, m.layer(), "train", m.loss(), m.accuracy(), m.samples()));
        }
        for (LayerMetrics m : validation == null ? List.<LayerMetrics>of() : validation) {
            rows.add(new Csv.TrainRow(epoch, m.layer(), "validation", m.loss(), m.accuracy(), m.samples()));
        }
        recorder.tell(new RunRecorder.Rows(run.trainCsv(), RunDirectory.TRAIN_COLUMNS, rows));
        event("epoch-trained", validation == null ? RunRecorder.fields("epoch", epoch, "step", step, "layers", metrics)
                : RunRecorder.fields("epoch", epoch, "step", step, "layers", metrics, "validation", validation));
        if (checkpoint) {
            recorder.tell(new RunRecorder.WriteCheckpoint(state, checkpoints, specHash, spec.version()));
            event("checkpoint-written", RunRecorder.fields("epoch", epoch, "step", step));
        }
        manifest = manifest.with(Manifest.RUNNING, epoch, "", "", Instant.now().toString()).withWallSeconds(java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(wall)));
        recorder.tell(new RunRecorder.WriteManifest(manifest));
    }

    /** Adds wall time to a phase (training, analysis, attacks); the next manifest written carries it. */
    void spent(String phase, double seconds) {
        wall.merge(phase, seconds, Double::sum);
    }

    /** A checkpoint inside epoch, after position of its batches. */
    void stepCheckpoint(Checkpoint state, int epoch, long step, int position) {
        recorder.tell(new RunRecorder.WriteCheckpoint(state, checkpoints, specHash, spec.version()));
        event("checkpoint-written", RunRecorder.fields("epoch", epoch, "step", step, "position", position));
    }

    /** The run completed: the manifest says so once everything is on disk, then the outcome is told and the supervisor stops. */
    Behavior<ExperimentSupervisor.Command> completed(int lastEpoch, String fingerprint, int restarts) {
        ended = true;
        manifest = manifest.with(Manifest.COMPLETED, lastEpoch, fingerprint, "", Instant.now().toString())
                .withWallSeconds(java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(wall)));
        recorder.tell(new RunRecorder.WriteManifest(manifest));
        switch (spec.checkpoint().afterCompletion()) {
            case NEWEST -> recorder.tell(new RunRecorder.KeepCheckpoints(checkpoints, 1));
            case NONE -> recorder.tell(new RunRecorder.KeepCheckpoints(checkpoints, 0));
            case ALL -> { }
        }
        event("experiment-completed", RunRecorder.fields("fingerprint", fingerprint, "restarts", restarts));
        ctx.getLog().info("{}: completed, fingerprint {}", run.id(), fingerprint);
        return flushThenTell(new ExperimentSupervisor.Outcome(run.id(), spec.name(), run.root(), true, fingerprint, ""));
    }

    Behavior<ExperimentSupervisor.Command> failed(String reason) {
        ended = true;
        manifest = manifest.with(Manifest.FAILED, manifest.epochsCompleted(), "", reason, Instant.now().toString()).withWallSeconds(java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(wall)));
        recorder.tell(new RunRecorder.WriteManifest(manifest));
        event("experiment-failed", RunRecorder.fields("reason", reason));
        ctx.getLog().error("{}: failed: {}", run.id(), reason);
        return flushThenTell(new ExperimentSupervisor.Outcome(run.id(), spec.name(), run.root(), false, "", reason));
    }

    /** If the recorder dies before the flush, the run has failed whatever it was about to report. */
    private Behavior<ExperimentSupervisor.Command> flushThenTell(ExperimentSupervisor.Outcome outcome) {
        return RunRecorder.flushThenStop(ctx, recorder, () -> replyTo.tell(outcome), this::tellRecorderLost, lock::close);
    }

    /** The recorder died (a write failed): the manifest is written here, as far as the disk allows, and the run ends. */
    Behavior<ExperimentSupervisor.Command> recorderLost(String cause) {
        tellRecorderLost(cause);
        return Behaviors.stopped(lock::close);
    }

    private void tellRecorderLost(String cause) {
        ended = true;
        String reason = "the run directory could not be written: " + cause;
        manifest = manifest.with(Manifest.FAILED, manifest.epochsCompleted(), "", reason, Instant.now().toString());
        String unwritten = RunEnd.writeManifest(run, manifest);
        ctx.getLog().error("{}: failed: {}{}", run.id(), reason, unwritten == null ? "" : "; " + unwritten);
        replyTo.tell(new ExperimentSupervisor.Outcome(run.id(), spec.name(), run.root(), false, "",
                unwritten == null ? reason : reason + "; " + unwritten));
    }

    /** The supervisor stopped: if the run had not ended, it was stopped from outside and is interrupted (resumable). */
    void stopped() {
        if (!ended) {
            manifest = manifest.with(Manifest.INTERRUPTED, manifest.epochsCompleted(), "", "stopped before it ended; continue it with lab resume",
                    Instant.now().toString());
            String unwritten = RunEnd.writeManifest(run, manifest);
            if (unwritten != null) {
                ctx.getLog().warn("{}: {}", run.id(), unwritten);
            }
        }
        lock.close();
    }
}
