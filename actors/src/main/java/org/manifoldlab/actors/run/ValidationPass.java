package org.manifoldlab.actors.run;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.EpochMetrics;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;

/**
 * One epoch's pass over the validation set: every layer's readout loss and accuracy on the
 * samples held out of training ({@code data.validationFraction}), computed on the compute
 * dispatcher from the epoch's frozen snapshot, told once, then the actor stops. The supervisor
 * watches it: stopping without an answer ends the run.
 */
final class ValidationPass {

    /** Rows per forward pass. */
    static final int BATCH_ROWS = 500;

    /** The answer: the epoch's validation metrics, split "validation". */
    record Done(EpochMetrics metrics) {
    }

    private ValidationPass() {
    }

    static Behavior<Void> create(Network snapshot, Dataset validation, int epoch, ActorRef<Done> replyTo) {
        return Behaviors.setup(ctx -> {
            Kernels.singleThreaded();
            replyTo.tell(new Done(PlainTrainer.evaluate(snapshot, validation, BATCH_ROWS, epoch, "validation")));
            return Behaviors.stopped();
        });
    }
}
