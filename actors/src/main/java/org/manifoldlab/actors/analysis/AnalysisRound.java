package org.manifoldlab.actors.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.manifoldlab.actors.run.RunDirectory;
import org.manifoldlab.actors.run.RunRecorder;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.EpochMetrics;
import org.manifoldlab.core.nn.LayerMetrics;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;

/**
 * The work of one analysis point on a frozen snapshot: test metrics of every layer's readout.
 * Runs on the compute dispatcher, then reports and stops.
 */
public final class AnalysisRound {

    /** Reply to the supervisor; failure is null on success. */
    public record Finished(int epoch, String failure) {
    }

    private AnalysisRound() {
    }

    public static Behavior<Void> create(ExperimentSpec spec, int epoch, Network snapshot, Dataset test, Dataset probe,
                                        RunDirectory run, ActorRef<RunRecorder.Command> recorder, ActorRef<Finished> replyTo) {
        return Behaviors.setup(ctx -> {
            EpochMetrics metrics = PlainTrainer.evaluate(snapshot, test, 500, epoch, "test");
            List<List<Object>> rows = new ArrayList<>();
            for (LayerMetrics m : metrics.layers()) {
                rows.add(List.of(epoch, m.layer(), "test", m.loss(), m.accuracy(), m.samples()));
            }
            recorder.tell(new RunRecorder.Rows(run.trainCsv(), RunDirectory.TRAIN_COLUMNS, rows));
            recorder.tell(new RunRecorder.Event("test-evaluated", ctx.getSelf().path().toString(),
                    Map.of("epoch", epoch, "layers", metrics.layers())));
            replyTo.tell(new Finished(epoch, null));
            return Behaviors.stopped();
        });
    }
}
