package org.manifoldlab.actors.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.manifoldlab.rundir.RunEnd;

/**
 * The coordinator's side of results without a shared disk: its copy of each run, which it sends
 * to the node that is to start or continue the run ({@link Jobs.FetchRun}) and into which it
 * writes the files that node streams back ({@link Jobs.Streaming}). One {@link RunCopy} per run;
 * a placement is admitted when its node fetches the run, and only the admitted placement writes.
 */
final class ResultCopies {

    private final ActorSystem<?> system;
    private final Executor io;
    private final long maxFileBytes;
    private final Map<Path, RunCopy> copies = new HashMap<>();

    ResultCopies(ActorSystem<?> system) {
        this.system = system;
        this.io = system.dispatchers().lookup(DispatcherSelector.blocking());
        this.maxFileBytes = system.settings().config().getBytes("manifold-lab.cluster.results.max-file-bytes");
    }

    private RunCopy copy(Path runDir) {
        return copies.computeIfAbsent(runDir, dir -> new RunCopy(dir, maxFileBytes, false));
    }

    /** Admits the placement (writes of earlier ones are dropped from now on) and sends its node this copy of the run. */
    void serve(Path runDir, Jobs.FetchRun fetch) {
        try {
            copy(runDir).admit(fetch.attempt());
        } catch (IOException e) {
            fetch.slot().tell(new ExperimentWorker.Seed(fetch.attempt(), null, runDir + ": " + RunEnd.reason(e)));
            return;
        }
        fetch.slot().tell(new ExperimentWorker.Seed(fetch.attempt(), RunMirror.snapshot(runDir, true, io).runWith(StreamRefs.sourceRef(), system), ""));
    }

    /**
     * Writes the files a placement streams into this copy of its run; completes when the stream
     * has ended and every piece is written, or fails with the reason (a refused name, a size
     * beyond the bound, a node lost mid-stream).
     */
    CompletionStage<Done> receive(Path runDir, Jobs.Streaming streaming) {
        RunCopy copy = copy(runDir);
        if (!copy.admitted(streaming.attempt())) {
            streaming.files().getSource().runWith(Sink.cancelled(), system);
            return CompletableFuture.failedFuture(new IOException("placement " + streaming.attempt() + " of " + streaming.name()
                    + " streamed its files without fetching the run first"));
        }
        return streaming.files().getSource().runWith(copy.sink(streaming.attempt(), io), system);
    }

    /** Refuses a stream of a placement that is no longer current: its node sees the stream cancelled. */
    void refuse(Jobs.Streaming streaming) {
        streaming.files().getSource().runWith(Sink.cancelled(), system);
    }
}
