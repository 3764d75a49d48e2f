package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.DenseLayer;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.LocalReadout;
import org.manifoldlab.rundir.RunDirectory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A checkpoint streamed to its file reads back array for array, its manifest holds the file's
 * size and SHA-256, and a file that passes its checksum but claims an array larger than any
 * Java array is refused before anything of that size is allocated.
 */
class CheckpointStoreTest {

    @TempDir
    Path dir;

    private static INDArray counting(long rows, long cols, float from) {
        return Nd4j.linspace(from, from + rows * cols - 1, rows * cols, DataType.FLOAT).reshape('c', rows, cols);
    }

    private static Checkpoint twoLayers() {
        LocalLayer l1 = new LocalLayer(1, new DenseLayer(3, 4, Activation.RELU, counting(3, 4, 1), counting(1, 4, 100)),
                new LocalReadout(counting(4, 2, 200)), null);
        LocalLayer l2 = new LocalLayer(2, new DenseLayer(4, 2, Activation.RELU, counting(4, 2, 300), counting(1, 2, 400)),
                new LocalReadout(counting(2, 2, 500)), null);
        return new Checkpoint(3, 42, List.of(l1, l2),
                List.of(List.of(counting(3, 4, 600), counting(3, 4, 700)), List.of(counting(4, 2, 800))),
                List.of(new long[] {42, 42}, new long[] {41}), Map.of("train.csv", 6L), 1);
    }

    @Test
    void aCheckpointReadsBackAsWrittenAndItsManifestDescribesTheFile() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2);
        Checkpoint c = twoLayers();
        store.write(c, "spec", "test");
        CheckpointStore.Entry e = store.entries().get(0);
        Path bin = dir.resolve("ckpt-e0003.bin");
        byte[] bytes = Files.readAllBytes(bin);
        assertEquals(DataSources.sha256(bytes), e.sha256());
        assertEquals(bytes.length, RunDirectory.JSON.readTree(e.manifest().toFile()).get("bytes").asLong());

        Checkpoint back = store.read(e, Activation.RELU);
        assertEquals(42, back.step());
        assertEquals(6L, back.metricsRows().get("train.csv"));
        for (int i = 0; i < 2; i++) {
            assertEquals(c.layers().get(i).dense().w(), back.layers().get(i).dense().w());
            assertEquals(c.layers().get(i).dense().b(), back.layers().get(i).dense().b());
            assertEquals(c.layers().get(i).readout().matrix(), back.layers().get(i).readout().matrix());
            assertArrayEquals(c.optimizerSteps().get(i), back.optimizerSteps().get(i));
            assertEquals(c.optimizerState().get(i), back.optimizerState().get(i));
        }
        assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary file is left");
    }

    @Test
    void aChecksummedFileClaimingAHugeArrayIsRefusedNotAllocated() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2);
        store.write(twoLayers(), "spec", "test");
        CheckpointStore.Entry e = store.entries().get(0);
        // magic, 1 layer, index 1, then an array of rank 2 and shape 2^31 x 2^31
        ByteBuffer hostile = ByteBuffer.allocate(4 + 4 + 4 + 4 + 16).order(ByteOrder.BIG_ENDIAN);
        hostile.putInt(0x4D4C434B).putInt(1).putInt(1).putInt(2).putLong(1L << 31).putLong(1L << 31);
        Files.write(dir.resolve("ckpt-e0003.bin"), hostile.array());
        ObjectNode m = (ObjectNode) RunDirectory.JSON.readTree(e.manifest().toFile());
        m.put("sha256", DataSources.sha256(hostile.array()));
        Files.write(e.manifest(), RunDirectory.JSON.writeValueAsBytes(m));

        IOException refused = assertThrows(IOException.class, () -> store.read(store.entries().get(0), Activation.RELU));
        assertTrue(refused.getMessage().contains("larger than one array holds"), refused.getMessage());
    }
}
