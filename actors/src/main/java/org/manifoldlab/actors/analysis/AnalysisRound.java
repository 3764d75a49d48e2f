package org.manifoldlab.actors.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.manifoldlab.actors.Compute;
import org.manifoldlab.actors.attack.AttackPlan;
import org.manifoldlab.actors.attack.AttackRound;
import org.manifoldlab.actors.run.RunRecorder;
import org.manifoldlab.config.AnalysisSpec;
import org.manifoldlab.config.AttacksSpec;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.attack.Attack;
import org.manifoldlab.core.attack.AttackSanity;
import org.manifoldlab.core.attack.RobustnessRecord;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.manifold.IntrinsicDimension;
import org.manifoldlab.core.nn.EpochMetrics;
import org.manifoldlab.core.nn.LayerMetrics;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.probe.LinearProbes;
import org.manifoldlab.core.spectrum.PowerLawFit;
import org.manifoldlab.core.spectrum.SpectrumSettings;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.RunEnd;

/**
 * One analysis point on a frozen snapshot: every layer's test metrics, its spectrum from
 * activations streamed to the analyzer pool, and its accuracy under the attack grids. When every part is in, it writes the rows (sorted,
 * so the files have one order whatever the timing), reports and stops. A failed analyzer is
 * replaced and its layers are streamed again: a fault changes no number.
 */
public final class AnalysisRound extends AbstractBehavior<AnalysisRound.Command> {

    public sealed interface Command {
    }

    private record TestMetrics(EpochMetrics metrics) implements Command {
    }

    private record SpectrumDone(Analyzer.LayerResult result) implements Command {
    }

    private record InputDimensionDone(ActivationStreamer.InputDimensionResult result) implements Command {
    }

    private record AttacksDone(AttackRound.Finished finished) implements Command {
    }

    private record AttackerRestarted(AttackRound.Restarted restarted) implements Command {
    }

    private record AttackProgress(AttackRound.Progressed progressed) implements Command {
    }

    private record ProbesDone(LinearProbeWorker.Trained trained) implements Command {
    }

    /** Reply to the supervisor; failure is null on success. */
    /** A round's end: failure null when it wrote every row; attackSeconds the wall time its attack round took. */
    public record Finished(int epoch, String failure, double attackSeconds) {
        public Finished(int epoch, String failure) {
            this(epoch, failure, 0);
        }
    }

    private static final int MAX_REPLACEMENTS = 3;

    private final ExperimentSpec spec;
    private final int epoch;
    private final Network snapshot;
    private final RunDirectory run;
    private final ActorRef<RunRecorder.Command> recorder;
    private final ActorRef<Finished> replyTo;
    private final ActorRef<ActivationStreamer.Command> streamer;
    private final ActorRef<Analyzer.LayerResult> spectra;
    private final SpectrumSettings settings;
    private final Map<ActorRef<Analyzer.Command>, List<Integer>> layersOf = new HashMap<>();
    private final Map<Integer, Analyzer.LayerResult> results = new TreeMap<>();
    private final int blocks;              // jackknife blocks this round, 0: no intervals nor layer dimensions
    private final long startNanos = System.nanoTime();
    private ActivationStreamer.InputDimensionResult input;  // null until in; not asked when d is given
    private EpochMetrics testMetrics;
    private List<RobustnessRecord> robustness;
    private List<LinearProbes.Result> probes;
    private int replacements;
    private double attackSeconds;
    private ActorRef<AttackRound.Command> attackRound;

    /**
     * @param last  true when epoch is the run's last (training.epochs, or where early stopping ended
     *              training): the intervals of analysis.intervals last, the linear probes and the
     *              attacks of attacks.at last happen then
     * @param train the training split, for the linear probes of the last epoch (when the spec asks for them)
     */
    public static Behavior<Command> create(ExperimentSpec spec, int epoch, boolean last, Network snapshot, Dataset train, Dataset test,
                                           Dataset probe, RunDirectory run, ActorRef<RunRecorder.Command> recorder,
                                           ActorRef<Finished> replyTo) {
        return Behaviors.setup(ctx -> new AnalysisRound(ctx, spec, epoch, last, snapshot, train, test, probe, run, recorder, replyTo));
    }

    private AnalysisRound(ActorContext<Command> ctx, ExperimentSpec spec, int epoch, boolean last, Network snapshot, Dataset train,
                          Dataset test, Dataset probe, RunDirectory run, ActorRef<RunRecorder.Command> recorder, ActorRef<Finished> replyTo) {
        super(ctx);
        this.spec = spec;
        this.epoch = epoch;
        this.snapshot = snapshot;
        this.run = run;
        this.recorder = recorder;
        this.replyTo = replyTo;
        this.settings = settingsOf(spec.analysis());
        this.blocks = intervalsAt(spec, last) ? spec.analysis().jackknifeBlocks() : 0;
        this.streamer = ctx.spawn(ActivationStreamer.create(snapshot.frozenCopy(), probe), "streamer", compute());
        ctx.watch(streamer);
        this.spectra = ctx.messageAdapter(Analyzer.LayerResult.class, SpectrumDone::new);
        streamer.tell(new ActivationStreamer.Evaluate(test, epoch, ctx.messageAdapter(EpochMetrics.class, TestMetrics::new)));
        if (spec.analysis().autoManifoldDim()) {
            streamer.tell(new ActivationStreamer.InputDimension(spec.analysis().jackknifeBlocks(),
                    ctx.messageAdapter(ActivationStreamer.InputDimensionResult.class, InputDimensionDone::new)));
        } else {
            input = new ActivationStreamer.InputDimensionResult(null, "analysis.manifoldDim is given");
        }
        int pool = Math.min(spec.resources().analyzers(), snapshot.depth());
        boolean faulty = spec.faults().analyzer().on() && spec.faults().analyzer().epoch() == epoch;
        Map<Integer, ActorRef<Analyzer.Command>> analyzerOf = new LinkedHashMap<>();
        List<ActorRef<Analyzer.Command>> analyzers = new ArrayList<>();
        for (int i = 0; i < pool; i++) {
            analyzers.add(spawnAnalyzer("analyzer-" + (i + 1), faulty ? spec.faults().analyzer().layer() : 0));
        }
        for (int l = 1; l <= snapshot.depth(); l++) {
            ActorRef<Analyzer.Command> a = analyzers.get((l - 1) % pool);
            analyzerOf.put(l, a);
            layersOf.computeIfAbsent(a, k -> new ArrayList<>()).add(l);
        }
        streamer.tell(new ActivationStreamer.Stream(analyzerOf, spectra));
        if (spec.analysis().linearProbe().enabled() && last) {
            ActorRef<LinearProbeWorker.Command> worker = ctx.spawn(LinearProbeWorker.create(snapshot.frozenCopy(), train, test,
                    spec.analysis().linearProbe(), spec.seed()), "linear-probes", compute());
            ctx.watch(worker);
            worker.tell(new LinearProbeWorker.Train(ctx.messageAdapter(LinearProbeWorker.Trained.class, ProbesDone::new)));
        } else {
            probes = List.of();
        }
        List<Attack> attacks = last || spec.attacks().at() == AttacksSpec.At.EVERY ? AttackPlan.attacks(spec.attacks()) : List.<Attack>of();
        if (attacks.isEmpty()) {
            robustness = List.of();
        } else {
            boolean attackerFault = spec.faults().attacker().on() && spec.faults().attacker().epoch() == epoch;
            this.attackRound = ctx.spawn(AttackRound.create(snapshot, probe, spec.seed(), attacks, spec.resources().attackers(),
                    attackerFault ? spec.faults().attacker().layer() : 0,
                    ctx.messageAdapter(AttackRound.Finished.class, AttacksDone::new),
                    ctx.messageAdapter(AttackRound.Restarted.class, AttackerRestarted::new),
                    ctx.messageAdapter(AttackRound.Progressed.class, AttackProgress::new)), "attacks");
            ctx.watch(attackRound);
        }
    }

    /** The spec's analysis keys as core's settings: no fitRanks means the automatic window. */
    static SpectrumSettings settingsOf(AnalysisSpec a) {
        PowerLawFit.Window window = a.fixedWindow() ? new PowerLawFit.Window(a.fitLo(), a.fitHi()) : null;
        return new SpectrumSettings(window, a.method() == AnalysisSpec.Method.WEIGHTED, a.manifoldDim());
    }

    /** Intervals at every analysis point, at the last one (after the run's last epoch), or never. */
    static boolean intervalsAt(ExperimentSpec spec, boolean last) {
        return switch (spec.analysis().intervals()) {
            case EVERY -> true;
            case LAST -> last;
            case NEVER -> false;
        };
    }

    private static DispatcherSelector compute() {
        return Compute.dispatcher();
    }

    private ActorRef<Analyzer.Command> spawnAnalyzer(String name, int failOnLayer) {
        ActorRef<Analyzer.Command> a = getContext().spawn(Analyzer.create(epoch, spec.seed(), settings, failOnLayer, blocks), name, compute());
        getContext().watch(a);
        return a;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(TestMetrics.class, m -> {
                    testMetrics = m.metrics();
                    return maybeDone();
                })
                .onMessage(InputDimensionDone.class, m -> {
                    input = m.result();
                    return maybeDone();
                })
                .onMessage(SpectrumDone.class, m -> {
                    results.put(m.result().layer(), m.result());
                    return maybeDone();
                })
                .onMessage(AttacksDone.class, m -> {
                    attackSeconds = (System.nanoTime() - startNanos) / 1e9;
                    if (m.finished().failure() != null) {
                        replyTo.tell(new Finished(epoch, m.finished().failure()));
                        return Behaviors.stopped();
                    }
                    robustness = m.finished().records();
                    return maybeDone();
                })
                .onMessage(AttackerRestarted.class, m -> {
                    AttackRound.Restarted r = m.restarted();
                    recorder.tell(new RunRecorder.Event("attacker-restarted", getContext().getSelf().path().toString(),
                            RunRecorder.fields("epoch", epoch, "attacker", r.attacker(), "cause", r.cause(), "batch", r.batch())));
                    getContext().getLog().warn("{}: {} failed ({}); probe batch {} done again", run.id(), r.attacker(), r.cause(), r.batch());
                    return this;
                })
                .onMessage(AttackProgress.class, m -> {
                    AttackRound.Progressed p = m.progressed();
                    recorder.tell(new RunRecorder.Event("attack-progress", getContext().getSelf().path().toString(),
                            RunRecorder.fields("epoch", epoch, "batchesDone", p.done(), "batches", p.batches(), "etaSeconds", p.etaSeconds())));
                    return this;
                })
                .onMessage(ProbesDone.class, m -> {
                    probes = m.trained().results();
                    return maybeDone();
                })
                .onSignal(ChildFailed.class, this::onChildFailed)
                .onSignal(Terminated.class, this::onChildStopped)
                .build();
    }

    /** A failed analyzer's unfinished layers go to a fresh one and are streamed again. */
    private Behavior<Command> onChildFailed(ChildFailed failed) {
        List<Integer> layers = layersOf.remove(failed.getRef().<Analyzer.Command>unsafeUpcast());
        if (layers == null || ++replacements > MAX_REPLACEMENTS) {
            replyTo.tell(new Finished(epoch, failed.getRef().path().name() + " failed: " + RunEnd.reason(failed.cause())));
            return Behaviors.stopped();
        }
        List<Integer> unfinished = layers.stream().filter(l -> !results.containsKey(l)).toList();
        ActorRef<Analyzer.Command> replacement = spawnAnalyzer(failed.getRef().path().name() + "-r" + replacements, 0);
        layersOf.put(replacement, unfinished);
        Map<Integer, ActorRef<Analyzer.Command>> analyzerOf = new LinkedHashMap<>();
        unfinished.forEach(l -> analyzerOf.put(l, replacement));
        recorder.tell(new RunRecorder.Event("analyzer-restarted", getContext().getSelf().path().toString(), RunRecorder.fields("epoch", epoch,
                "analyzer", failed.getRef().path().name(), "cause", String.valueOf(failed.cause()), "layers", unfinished)));
        getContext().getLog().warn("{}: {} failed ({}); layers {} streamed again to a fresh analyzer", run.id(),
                failed.getRef().path().name(), failed.cause().getMessage(), unfinished);
        if (!unfinished.isEmpty()) {
            streamer.tell(new ActivationStreamer.Stream(analyzerOf, spectra));
        }
        return this;
    }

    /** The attack round stops after its answer; a child that stops before answering ends the round failed. */
    private Behavior<Command> onChildStopped(Terminated stopped) {
        boolean unanswered = stopped.getRef().equals(attackRound) && robustness == null || stopped.getRef().equals(streamer)
                || layersOf.containsKey(stopped.getRef().<Analyzer.Command>unsafeUpcast());
        if (unanswered) {
            replyTo.tell(new Finished(epoch, stopped.getRef().path().name() + " stopped without an answer"));
            return Behaviors.stopped();
        }
        return this;
    }

    private Behavior<Command> maybeDone() {
        if (testMetrics == null || results.size() < snapshot.depth() || robustness == null || input == null || probes == null) {
            return this;
        }
        AnalysisRows rows = new AnalysisRows(epoch, settings);
        for (LayerMetrics m : testMetrics.layers()) {
            rows.test(m);
        }
        IntrinsicDimension d = input.dimension();
        results.values().forEach(r -> rows.spectrum(d == null || r.spectrum() == null ? r
                : new Analyzer.LayerResult(r.layer(), r.spectrum().withManifoldDim(d.twoNn().d(), "twonn"), r.eigenvalues(),
                        r.samples(), r.deadUnits(), r.fitFailure())));
        List<AttackSanity.Warning> warnings = AttackSanity.check(robustness);
        for (AttackSanity.Warning w : warnings) {
            getContext().getLog().warn("{}: epoch {}: attack sanity check {} failed: {}", run.id(), epoch, w.check(), w.detail());
            recorder.tell(new RunRecorder.Event("attack-sanity", getContext().getSelf().path().toString(), RunRecorder.fields("epoch", epoch,
                    "layer", w.record().layer(), "attack", w.record().attackName(), "strength", w.record().strength(), "check", w.check(),
                    "detail", w.detail())));
        }
        robustness.forEach(r -> rows.robustness(r, AttackSanity.mark(r, warnings)));
        probes.forEach(rows::probe);
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("seconds", (System.nanoTime() - startNanos) / 1e9);
        round.put("intervals", blocks > 0);
        if (d != null) {
            round.put("inputTwoNn", List.of(d.twoNn().value(), d.twoNn().d().lo(), d.twoNn().d().hi()));
            round.put("inputLevinaBickel", List.of(d.levinaBickel().value(), d.levinaBickel().d().lo(), d.levinaBickel().d().hi()));
        } else if (spec.analysis().autoManifoldDim()) {
            round.put("inputDimensionFailure", input.failure());
        }
        rows.writeTo(run, recorder, getContext().getSelf().path().toString(), round);
        getContext().getLog().info("{}: epoch {} analysed: {}", run.id(), epoch, testSummary());
        replyTo.tell(new Finished(epoch, null, attackSeconds));
        return Behaviors.stopped();
    }

    /** "L1 test acc 0.9535 alpha 1.62  L2 ..." for the console. */
    private String testSummary() {
        StringBuilder s = new StringBuilder();
        for (LayerMetrics m : testMetrics.layers()) {
            Analyzer.LayerResult r = results.get(m.layer());
            s.append(String.format(java.util.Locale.ROOT, "L%d test acc %.4f", m.layer(), m.accuracy()));
            if (r != null && r.spectrum() != null) {
                s.append(String.format(java.util.Locale.ROOT, " alpha %.3f", r.spectrum().alphaValue()));
            }
            s.append("  ");
        }
        return s.toString().strip();
    }
}
