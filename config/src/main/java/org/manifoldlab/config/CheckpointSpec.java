package org.manifoldlab.config;

/**
 * @param everyEpochs write a checkpoint after every this many epochs (and after the last); 0 turns every checkpoint off
 * @param everySteps  also write one every this many training steps inside an epoch (long epochs); 0 turns them off
 * @param keep        how many of the newest checkpoints to keep
 * @param maxRestarts trainer failures an experiment survives (each rolls back to the last checkpoint) before it is marked failed
 * @param afterCompletion which checkpoints a completed run keeps: the newest (its final weights, for lab export --arrays;
 *                        the default), all that keep allowed, or none
 */
public record CheckpointSpec(int everyEpochs, int everySteps, int keep, int maxRestarts, AfterCompletion afterCompletion) {

    /** What a completed run keeps of its checkpoints: a finished run is never resumed, and each is tens of MB. */
    public enum AfterCompletion implements SpecEnum { NEWEST, ALL, NONE }

    public static final CheckpointSpec DEFAULTS = new CheckpointSpec(1, 2000, 2, 3, AfterCompletion.NEWEST);

    void validate(Validation v) {
        v.check(everyEpochs >= 0, "checkpoint.everyEpochs", "0 (off) or a positive integer", everyEpochs);
        v.check(everySteps >= 0, "checkpoint.everySteps", "0 (off) or a positive integer", everySteps);
        v.check(keep >= 1, "checkpoint.keep", "a positive integer", keep);
        v.check(maxRestarts >= 0, "checkpoint.maxRestarts", "a non-negative integer", maxRestarts);
    }
}
