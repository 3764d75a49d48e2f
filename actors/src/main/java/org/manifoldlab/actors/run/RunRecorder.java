package org.manifoldlab.actors.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.manifoldlab.rundir.Csv;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.MetricsFiles;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.RunEnd;

/**
 * The single writer of a run directory: metrics rows, events and the manifest all pass
 * through it, so no two threads ever write one file. Every message is flushed to disk
 * before the next is handled.
 */
public final class RunRecorder extends AbstractBehavior<RunRecorder.Command> {

    public sealed interface Command {
    }

    /** Rows for one CSV file of metrics/ (header written when the file is new). */
    public record Rows(Path file, List<String> columns, List<? extends Csv.Row> rows) implements Command {
    }

    /** One line of events.jsonl. */
    public record Event(String type, String actor, Map<String, Object> fields) implements Command {
    }

    /** Event fields in the order given (key, value, key, value, ...), so every line reads the same way. */
    public static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }

    /** Rewrites manifest.json (atomically). */
    public record WriteManifest(Manifest manifest) implements Command {
    }

    /**
     * Writes a checkpoint; the recorder fills in how many data rows each metrics file holds at
     * this point, so a resumed run can drop any row written after it.
     */
    public record WriteCheckpoint(Checkpoint checkpoint, CheckpointStore store, String specHash, String version)
            implements Command {
    }

    /** Keeps only the newest checkpoints of a completed run (0: none). */
    public record KeepCheckpoints(CheckpointStore store, int newest) implements Command {
    }

    /** Replies once everything before it is on disk. */
    public record Flush(ActorRef<Done> replyTo) implements Command {
    }

    private static final ObjectMapper LINE = new ObjectMapper();

    private final RunDirectory run;
    private final String experiment;
    private final Map<Path, BufferedWriter> writers = new HashMap<>();
    private final Map<Path, Long> rowCounts = new HashMap<>();

    public static Behavior<Command> create(RunDirectory run, String experiment) {
        return Behaviors.setup(ctx -> new RunRecorder(ctx, run, experiment));
    }

    private RunRecorder(ActorContext<Command> context, RunDirectory run, String experiment) {
        super(context);
        this.run = run;
        this.experiment = experiment;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Rows.class, this::onRows)
                .onMessage(Event.class, this::onEvent)
                .onMessage(WriteManifest.class, this::onManifest)
                .onMessage(WriteCheckpoint.class, this::onCheckpoint)
                .onMessage(Flush.class, this::onFlush)
                .onMessage(KeepCheckpoints.class, k -> {
                    k.store().keepNewest(k.newest());
                    return this;
                })
                .onSignal(PostStop.class, signal -> closeAll())
                .build();
    }

    private Behavior<Command> onRows(Rows rows) throws IOException {
        try {
            return writeRows(rows);
        } catch (IOException e) {
            throw new IOException("writing " + run.root().relativize(rows.file()) + ": " + RunEnd.reason(e), e);
        }
    }

    private Behavior<Command> writeRows(Rows rows) throws IOException {
        BufferedWriter out = writer(rows.file(), String.join(",", rows.columns()));
        for (Csv.Row row : rows.rows()) {
            out.write(Csv.line(row.values()) + "\n");
        }
        rowCounts.merge(rows.file(), (long) rows.rows().size(), Long::sum);
        out.flush();
        return this;
    }

    private Behavior<Command> onEvent(Event event) throws IOException {
        try {
            return writeEvent(event);
        } catch (IOException e) {
            throw new IOException("writing events.jsonl: " + RunEnd.reason(e), e);
        }
    }

    private Behavior<Command> writeEvent(Event event) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", Instant.now().toString());
        line.put("experiment", experiment);
        line.put("actor", event.actor());
        line.put("type", event.type());
        line.putAll(event.fields());
        BufferedWriter out = writer(run.events(), null);
        out.write(json(line));
        out.write('\n');
        out.flush();
        return this;
    }

    private Behavior<Command> onManifest(WriteManifest message) throws IOException {
        try {
            run.writeManifest(message.manifest());
        } catch (IOException e) {
            throw new IOException("writing manifest.json: " + RunEnd.reason(e), e);
        }
        return this;
    }

    private Behavior<Command> onCheckpoint(WriteCheckpoint message) throws IOException {
        try {
            return writeCheckpoint(message);
        } catch (IOException e) {
            throw new IOException("writing a checkpoint of epoch " + message.checkpoint().epoch() + ": " + RunEnd.reason(e), e);
        }
    }

    private Behavior<Command> writeCheckpoint(WriteCheckpoint message) throws IOException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (Path file : List.of(run.trainCsv(), run.spectrumCsv(), run.summaryCsv(), run.robustnessCsv(), run.probesCsv())) {
            rows.put(file.getFileName().toString(), dataRows(file));
        }
        message.store().write(message.checkpoint().withRows(rows), message.specHash(), message.version());
        return this;
    }

    /** Data rows of a metrics file: counted once from disk (a resumed run), then kept as rows are written. */
    private long dataRows(Path file) throws IOException {
        Long known = rowCounts.get(file);
        if (known == null) {
            known = MetricsFiles.dataRows(file);
            rowCounts.put(file, known);
        }
        return known;
    }

    /**
     * The last behavior of the recorder's owner, which watches the recorder: once the recorder has
     * written everything queued, flushed runs (it reports the outcome) and the owner stops, its
     * children with it. If the recorder dies first (a write failed), lost runs with the reason
     * instead. Anything else that arrives meanwhile, a failing child included, is ignored;
     * stopped runs however the owner stops.
     */
    public static <T> Behavior<T> flushThenStop(ActorContext<T> owner, ActorRef<Command> recorder, Runnable flushed,
                                                java.util.function.Consumer<String> lost, Runnable stopped) {
        ActorRef<Done> done = owner.spawnAnonymous(Behaviors.receive(Done.class).onAnyMessage(d -> {
            flushed.run();
            return Behaviors.stopped();
        }).build());
        owner.watch(done);
        recorder.tell(new Flush(done));
        return Behaviors.receive((ctx, message) -> Behaviors.same(), (ctx, signal) -> {
            if (signal instanceof Terminated t && t.getRef().equals(done)) {
                return Behaviors.stopped(stopped::run);
            }
            if (signal instanceof Terminated t && t.getRef().equals(recorder)) {
                ctx.unwatch(done);
                lost.accept(signal instanceof org.apache.pekko.actor.typed.ChildFailed f ? RunEnd.reason(f.cause())
                        : "the recorder stopped before writing everything");
                return Behaviors.stopped(stopped::run);
            }
            if (signal instanceof PostStop) {
                stopped.run();
            }
            return Behaviors.same();
        });
    }

    private Behavior<Command> onFlush(Flush flush) {
        flush.replyTo().tell(Done.getInstance());
        return this;
    }

    private BufferedWriter writer(Path file, String header) throws IOException {
        BufferedWriter existing = writers.get(file);
        if (existing != null) {
            return existing;
        }
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        dataRows(file);
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (fresh && header != null) {
            out.write(header + "\n");
        }
        writers.put(file, out);
        return out;
    }

    private Behavior<Command> closeAll() {
        for (BufferedWriter w : writers.values()) {
            try {
                w.close();
            } catch (IOException e) {
                // every row was flushed when written; a writer that cannot close has nothing left to lose
            }
        }
        return this;
    }

    private static String json(Object value) {
        try {
            return LINE.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event fields must serialize", e);
        }
    }
}
