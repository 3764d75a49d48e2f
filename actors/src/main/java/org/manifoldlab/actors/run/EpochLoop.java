package org.manifoldlab.actors.run;

import org.manifoldlab.actors.training.EpochLedger;
import org.manifoldlab.actors.training.SnapshotCollector;

/**
 * The order of an experiment's epochs, apart from the actor that routes their messages. Every
 * metrics file has one order whatever the timing: the train rows of epoch e, then e's analysis
 * rows, then the train rows of e + 1. So an epoch's final state, once collected, waits while the
 * previous epoch's analysis is still writing; a checkpoint inside an epoch waits for a quiet
 * pipeline and for that analysis too (its row counts must be final); and the run is finished
 * only when the last epoch is trained, its state written and no analysis is running.
 */
final class EpochLoop {

    /** The last epoch: training.epochs, or earlier once the early-stopping rule has stopped training. */
    private int epochs;
    private final int analyseEvery;
    private EpochLedger ledger;
    /** The epoch whose analysis is running; 0 when none is. */
    private int analysing;
    /** An epoch's final state, held until the analysis before it has written its rows. */
    private SnapshotCollector.Collected waiting;
    private boolean stepCollecting;
    private String fingerprint;

    EpochLoop(int epochs, int analyseEvery) {
        this.epochs = epochs;
        this.analyseEvery = analyseEvery;
    }

    /** An epoch starts (or restarts after a rollback) with this ledger. */
    void started(EpochLedger epochLedger) {
        this.ledger = epochLedger;
    }

    /** The running epoch's ledger; null before the first epoch starts. */
    EpochLedger ledger() {
        return ledger;
    }

    boolean isAnalysisPoint(int epoch) {
        return epoch % analyseEvery == 0 || epoch == epochs;
    }

    /** The last epoch as known now: training.epochs, or the one the early-stopping rule stopped after. */
    int last() {
        return epochs;
    }

    boolean isLast(int epoch) {
        return epoch == epochs;
    }

    /** The early-stopping rule ends training after epoch, which becomes the last (and so an analysis point). */
    void stopAfter(int epoch) {
        if (epoch > epochs) {
            throw new IllegalArgumentException("epoch " + epoch + " is past the last, " + epochs);
        }
        epochs = epoch;
    }

    void analysisStarted(int epoch) {
        analysing = epoch;
    }

    /** The epoch whose analysis is running, or 0. */
    int analysing() {
        return analysing;
    }

    /** The running analysis has written its rows: returns the epoch state that waited for it, if any (else null). */
    SnapshotCollector.Collected analysisFinished() {
        analysing = 0;
        SnapshotCollector.Collected ready = waiting;
        waiting = null;
        return ready;
    }

    /** An epoch's final state: returned when the epoch may complete now, else held until the running analysis ends (null). */
    SnapshotCollector.Collected epochCollected(SnapshotCollector.Collected state) {
        if (analysing > 0) {
            waiting = state;
            return null;
        }
        return state;
    }

    /** Forgets an epoch state held for the running analysis (a rollback replays that epoch). */
    void dropWaiting() {
        waiting = null;
    }

    /** Every batch of the running epoch has left the pipeline and been reported. */
    boolean epochComplete() {
        return ledger.complete();
    }

    /**
     * Whether to collect a checkpoint inside the epoch now: the feeder has paused, every batch it
     * released has been reported, the epoch is not complete and no analysis is writing rows.
     * When it answers yes, it answers no until {@link #stepCheckpointTaken()}.
     */
    boolean takeStepCheckpoint(boolean feederPaused, int released) {
        if (feederPaused && !stepCollecting && waiting == null && ledger != null && ledger.quiet(released) && !ledger.complete()
                && analysing == 0) {
            stepCollecting = true;
            return true;
        }
        return false;
    }

    void stepCheckpointTaken() {
        stepCollecting = false;
    }

    /** The last epoch is trained; its weights have this fingerprint. */
    void trained(String finalFingerprint) {
        this.fingerprint = finalFingerprint;
    }

    /** Trained, every epoch's state written, no analysis running: the run may complete. */
    boolean finished() {
        return fingerprint != null && analysing == 0 && waiting == null;
    }

    String fingerprint() {
        return fingerprint;
    }
}
