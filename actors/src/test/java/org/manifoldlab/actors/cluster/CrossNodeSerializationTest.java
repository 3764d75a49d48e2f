package org.manifoldlab.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.delivery.ProducerController;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.config.Specs;

/** Every message that crosses between nodes goes through Jackson CBOR and comes back equal. */
class CrossNodeSerializationTest {

    private static final ActorTestKit KIT = ActorTestKit.create(ClusterSettings.SYSTEM_NAME,
            ClusterSettings.node("127.0.0.1", 0, List.of(), List.of(ClusterSettings.COORDINATOR_ROLE)));

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    /** One instance of every CborSerializable type in the cluster package. */
    private static List<CborSerializable> samples() throws Exception {
        ActorRef<Jobs.Report> reports = KIT.spawn(Behaviors.empty(), "reports");
        ActorRef<ProducerController.Command<Jobs.RunExperiment>> producer = KIT.spawn(Behaviors.empty(), "producer");
        ActorRef<ExperimentWorker.Command> slot = KIT.spawn(Behaviors.empty(), "slot");
        SourceRef<RunFiles.Piece> files = Source.<RunFiles.Piece>empty().runWith(StreamRefs.sourceRef(), KIT.system());
        String spec = Specs.toJson(TestSpecs.parse("name: e1\nseed: 7\nnetwork: {widths: [100, 50]}").withVersion("1.0"));
        return List.of(
                new Jobs.RunExperiment("e1", 3, spec, "/shared/runs/e1-20261126-070000", reports),
                new Jobs.Started("e1", 3, "/shared/runs/e1-20261126-070000", "10.0.0.2:2552", 3, 375),
                new Jobs.Progress("e1", 3, "10.0.0.2:2552", "e1-20261126-070000 epoch 2/5 step 150/625 ..."),
                new Jobs.Declined("e1", 4, "10.0.0.3:2552"),
                new Jobs.Ended("e1", 3, "e1-20261126-070000", "/shared/runs/e1-20261126-070000", "10.0.0.2:2552", true,
                        "bc10e84c495b1d5e3ce5d08ace2314a1f25dfd9fea14471411e6a90f8f465b8f", ""),
                new Jobs.Ended("e2", 1, "e2-20261126-070000", "/shared/runs/e2-20261126-070000", "10.0.0.2:2552", false, null,
                        "layer 3 loss is NaN at step 3 (diverged)"),
                new ExperimentWorker.Attach(producer),
                new Jobs.FetchRun("e1", 5, "10.0.0.2:2552", slot),
                new Jobs.Streaming("e1", 5, "10.0.0.2:2552", files),
                new ExperimentWorker.Seed(5, files, ""),
                new ExperimentWorker.Seed(6, null, "placement 6 of e1 is no longer current"),
                new RunFiles.Append("metrics/train.csv", 1234, "1,1,train,0.5,0.9,8000\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new RunFiles.Part("checkpoints/ckpt-e0002-b000040.bin", 65536, new byte[] {0, -1, 127, -128}, true),
                new RunFiles.Delete("checkpoints/ckpt-e0001.json"));
    }

    @Test
    void everyCrossNodeMessageRoundTripsThroughJacksonCbor() throws Exception {
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(KIT.system()));
        for (CborSerializable message : samples()) {
            Serializer serializer = serialization.findSerializerFor(message);
            assertEquals("JacksonCborSerializer", serializer.getClass().getSimpleName(), message.getClass().getName());
            byte[] bytes = serialization.serialize(message).get();
            Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
            if (message instanceof RunFiles.Append || message instanceof RunFiles.Part) {
                // records with a byte[] compare by reference: compare what they print, and the bytes
                assertEquals(message.toString().replaceAll("\\[B@\\w+", ""), back.toString().replaceAll("\\[B@\\w+", ""));
                assertArrayEquals(bytesOf(message), bytesOf(back), message.getClass().getName());
            } else {
                assertEquals(message, back, message.getClass().getName());
            }
        }
    }

    private static byte[] bytesOf(Object piece) {
        return piece instanceof RunFiles.Append a ? a.bytes() : ((RunFiles.Part) piece).bytes();
    }

    @Test
    void theSamplesCoverEveryMessageType() throws Exception {
        Set<Class<?>> sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> declared = Stream.of(Jobs.class, ExperimentWorker.class, RunFiles.class)
                .flatMap(c -> Arrays.stream(c.getDeclaredClasses()))
                .filter(c -> CborSerializable.class.isAssignableFrom(c) && !c.isInterface())
                .collect(Collectors.toSet());
        assertTrue(declared.size() >= 6, "found " + declared);
        assertEquals(declared, sampled);
    }
}
