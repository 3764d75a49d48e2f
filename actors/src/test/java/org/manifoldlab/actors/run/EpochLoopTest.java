package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.manifoldlab.actors.training.EpochLedger;
import org.manifoldlab.actors.training.LayerGroupTrainer;
import org.manifoldlab.actors.training.SnapshotCollector;

/** The ordering rules of an experiment's epochs, driven by hand: no actors, no timing. */
class EpochLoopTest {

    private static SnapshotCollector.Collected state(int epoch) {
        return new SnapshotCollector.Collected(epoch, 1, List.of(), List.of(), List.of(), null);
    }

    /** An epoch of 4 batches, 1 layer, with batchesDone of them reported. */
    private static EpochLedger ledger(int epoch, int batchesDone) {
        EpochLedger ledger = new EpochLedger(epoch, 4, 1, 1);
        for (int b = 0; b < batchesDone; b++) {
            ledger.add(new LayerGroupTrainer.LocalError(1, 1, b + 1, epoch, 0.5, 1, 2));
            ledger.batchDone();
        }
        return ledger;
    }

    @Test
    void anEpochsStateWaitsForThePreviousAnalysisToWriteItsRows() {
        EpochLoop loop = new EpochLoop(3, 1);
        loop.analysisStarted(1);
        assertNull(loop.epochCollected(state(2)), "epoch 2's rows wait for epoch 1's analysis rows");
        assertSame(2, loop.analysisFinished().epoch(), "and go once that analysis has written them");
        assertNull(loop.analysisFinished(), "nothing waits any more");
        assertSame(3, loop.epochCollected(state(3)).epoch(), "with no analysis running an epoch completes at once");
    }

    @Test
    void aCheckpointInsideAnEpochWaitsForAQuietPipelineAndForTheAnalysis() {
        EpochLoop loop = new EpochLoop(3, 1);
        loop.started(ledger(2, 2));
        assertFalse(loop.takeStepCheckpoint(false, 2), "the feeder has not paused");
        assertFalse(loop.takeStepCheckpoint(true, 3), "a released batch is still in the pipeline");
        loop.analysisStarted(1);
        assertFalse(loop.takeStepCheckpoint(true, 2), "an analysis is still writing rows");
        loop.analysisFinished();
        assertTrue(loop.takeStepCheckpoint(true, 2));
        assertFalse(loop.takeStepCheckpoint(true, 2), "one collection at a time");
        loop.stepCheckpointTaken();
        assertTrue(loop.takeStepCheckpoint(true, 2));
        loop.stepCheckpointTaken();
        loop.started(ledger(2, 4));
        assertFalse(loop.takeStepCheckpoint(true, 4), "a complete epoch ends with its own checkpoint instead");
    }

    @Test
    void theRunFinishesOnlyWhenTrainedWrittenAndNoAnalysisRuns() {
        EpochLoop loop = new EpochLoop(2, 1);
        assertTrue(loop.isAnalysisPoint(1) && loop.isAnalysisPoint(2) && loop.isLast(2) && !loop.isLast(1));
        loop.analysisStarted(1);
        assertNull(loop.epochCollected(state(2)));
        assertFalse(loop.finished(), "not trained yet");
        loop.analysisFinished();
        loop.analysisStarted(2);
        loop.trained("f1");
        assertFalse(loop.finished(), "the last analysis still runs");
        loop.analysisFinished();
        assertTrue(loop.finished());
        EpochLoop sparse = new EpochLoop(5, 2);
        assertTrue(sparse.isAnalysisPoint(2) && !sparse.isAnalysisPoint(3) && sparse.isAnalysisPoint(5), "every 2nd epoch and the last");
    }
}
