package org.manifoldlab.actors.cluster;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.delivery.ProducerController;

/**
 * What a {@link ClusterSweep} knows of one slot of a compute node: the producer its jobs go
 * through, the demand it has shown, the job placed on it and how that job's end stands. Owned
 * and changed by the sweep's actor alone.
 */
final class SweepSlot {
    final String producerId;
    final ActorRef<ProducerController.Command<Jobs.RunExperiment>> producer;
    ProducerController.RequestNext<Jobs.RunExperiment> next;
    Jobs.RunExperiment job;
    boolean declined;
    boolean unreachable;
    /** The job's node streams its files here (no shared disk): its end waits until they are all written. */
    boolean streaming;
    boolean stored;
    String storeFailure;
    Jobs.Ended parked;

    SweepSlot(String producerId, ActorRef<ProducerController.Command<Jobs.RunExperiment>> producer) {
        this.producerId = producerId;
        this.producer = producer;
    }

    void place(Jobs.RunExperiment placed) {
        job = placed;
        streaming = false;
        stored = false;
        storeFailure = null;
        parked = null;
    }
}
