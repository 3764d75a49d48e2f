package org.manifoldlab.actors.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.manifoldlab.actors.run.CheckpointStore;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.actors.run.Resume;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.RunLock;

/**
 * A job's run in a compute node's own runs directory ({@code lab node --local-runs}), as its
 * slot ({@link ExperimentWorker}) takes it through: the directory emptied and locked, the
 * coordinator's copy of the run received into it, the run cut back to its checkpoint, and its
 * files streamed back to the coordinator by a {@link RunMirror} while the experiment runs.
 */
final class LocalRun {

    final ExperimentSpec spec;
    final Path dir;
    /** Held until the experiment owns it. */
    RunLock lock;
    RunMirror mirror;
    ActorRef<ExperimentSupervisor.Command> experiment;
    /** The experiment's outcome, held until the mirror has sent everything. */
    ExperimentSupervisor.Outcome outcome;
    private final ActorSystem<?> system;
    private final Executor io;

    private LocalRun(ExperimentSpec spec, Path dir, RunLock lock, ActorSystem<?> system) {
        this.spec = spec;
        this.dir = dir;
        this.lock = lock;
        this.system = system;
        this.io = system.dispatchers().lookup(DispatcherSelector.blocking());
    }

    /**
     * Takes the directory for the job: emptied, since it is only a copy, unless it holds anything
     * but a run of the job's experiment. Throws with the reason when it cannot.
     */
    static LocalRun open(ExperimentSpec spec, Path dir, ActorSystem<?> system) throws IOException {
        RunDirectory copy = new RunDirectory(dir);
        Files.createDirectories(dir);
        String foreign = copy.resetRefusal(spec.name());
        if (foreign != null) {
            throw new IOException(foreign + "; the job was refused and nothing in it was touched");
        }
        RunLock lock;
        try {
            lock = RunLock.acquire(dir);
        } catch (RunLock.HeldException held) {
            throw new IOException(held.getMessage(), held);
        }
        try {
            copy.reset(spec.name());
        } catch (IOException e) {
            lock.close();
            throw e;
        }
        return new LocalRun(spec, dir, lock, system);
    }

    /** Writes the coordinator's copy of the run into the directory; completes when all of it is here. */
    CompletionStage<Done> receive(int attempt, SourceRef<RunFiles.Piece> files) throws IOException {
        RunCopy copy = new RunCopy(dir, system.settings().config().getBytes("manifold-lab.cluster.results.max-file-bytes"), true);
        copy.admit(attempt);
        return files.getSource().runWith(copy.sink(attempt, io), system);
    }

    /**
     * Cuts a run that continues back to its checkpoint, or empties one that starts over, before the
     * mirror first looks (so the cuts are the first thing it sends), and starts the mirror: the stream's end, and the reference the
     * coordinator pulls it through.
     */
    Pair<CompletionStage<Done>, SourceRef<RunFiles.Piece>> stream(String version) throws IOException {
        mirror = new RunMirror(dir, false, system.settings().config().getDuration("manifold-lab.cluster.results.scan-every"), io);
        mirror.receiverHolds(mirror.files());
        RunDirectory run = new RunDirectory(dir);
        boolean completed = Files.exists(run.manifest()) && Manifest.COMPLETED.equals(run.readManifest().status());
        if (!completed && !new CheckpointStore(run.checkpoints(), spec.checkpoint().keep()).entries().isEmpty()) {
            try {
                Resume.prepare(dir, version);
            } catch (Resume.RefusedException refused) {
                // the experiment meets the same refusal when it starts, and ends the job with it
            }
        } else if (!completed) {
            run.reset(spec.name());  // it starts over (the lost node wrote no checkpoint): so does the coordinator's copy
        }
        mirror.scan();
        return mirror.source().watchTermination(Keep.right()).toMat(StreamRefs.sourceRef(), Keep.both()).run(system);
    }

    /** The experiment ended: the mirror looks once more and completes. */
    void ended(ExperimentSupervisor.Outcome o) {
        outcome = o;
        mirror.finish();
    }

    /** Whether everything was sent after the experiment ended. */
    boolean sent() {
        return mirror != null && mirror.ended() && outcome != null;
    }

    /** Frees what the job still holds: the lock if the experiment never took it, a mirror that has not ended. */
    void close() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
        if (mirror != null && !mirror.ended()) {
            mirror.abort();
        }
    }
}
