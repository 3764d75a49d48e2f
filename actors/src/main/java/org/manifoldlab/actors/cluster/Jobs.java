package org.manifoldlab.actors.cluster;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.SourceRef;

/**
 * What crosses between the coordinator and the compute nodes: the job (a spec as JSON and the
 * run directory it owns) and the reports about it, and for a node without the shared disk the
 * run's files, as streams ({@link RunFiles}). Arrays never cross: an experiment's trainers,
 * analyzers and attackers are local children of the node that runs it.
 */
public final class Jobs {

    private Jobs() {
    }

    /**
     * Run one experiment in runDir, a directory every node sees at the same path (or the node's own
     * copy of it, fetched from the coordinator). When runDir already holds a checkpoint (the node
     * that had the job left or died), continue from it.
     *
     * @param attempt  this placement of the job; every report about it carries the number, so a
     *                 late report from an earlier placement is told apart
     * @param specJson the resolved spec, as spec.json stores it
     * @param runDir   the run directory relative to the runs directory every node shares (never absolute: a node
     *                 refuses a run that would lie outside its own runs directory)
     */
    public record RunExperiment(String name, int attempt, String specJson, String runDir, ActorRef<Report> replyTo)
            implements CborSerializable {
    }

    /** What a compute node tells the coordinator about a job. */
    public sealed interface Report extends CborSerializable permits Started, Progress, Declined, Ended, FetchRun, Streaming {
        String name();

        int attempt();
    }

    /** The experiment began on node, fresh (fromEpoch 0, fromStep 0) or from a checkpoint. */
    public record Started(String name, int attempt, String runDir, String node, int fromEpoch, long fromStep) implements Report {
    }

    /** The experiment's progress line, every 10 s. */
    public record Progress(String name, int attempt, String node, String line) implements Report {
    }

    /** The slot was busy with another sweep's job; offer this one elsewhere. */
    public record Declined(String name, int attempt, String node) implements Report {
    }

    /** The experiment ended on node: completed with its fingerprint, or failed with the reason. */
    public record Ended(String name, int attempt, String runId, String runDir, String node, boolean completed, String fingerprint, String reason)
            implements Report {
    }

    /**
     * From a node that keeps its runs in a directory of its own (lab node --local-runs): before it
     * starts, it asks for the coordinator's copy of the run, to start it or to continue it from the
     * newest checkpoint the coordinator holds. The coordinator answers slot with {@link ExperimentWorker.Seed}.
     */
    public record FetchRun(String name, int attempt, String node, ActorRef<ExperimentWorker.Command> slot) implements Report {
    }

    /** From such a node: the run's files, streamed as they are written, for the coordinator's copy. */
    public record Streaming(String name, int attempt, String node, SourceRef<RunFiles.Piece> files) implements Report {
    }
}
