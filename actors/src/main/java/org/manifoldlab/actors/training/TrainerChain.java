package org.manifoldlab.actors.training;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.manifoldlab.config.FaultsSpec;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.TrainingMode;

/**
 * The stages of an experiment's training pipeline, one trainer per layer group, chained g -> g+1
 * and watched by their supervisor. Each set of trainers is a generation: replacing them after a
 * failure starts a new one, and reports of an older generation are recognised and dropped.
 */
public final class TrainerChain {

    private final ActorContext<?> context;
    private final List<List<Integer>> groups;
    private final TrainingMode mode;
    private final int epochs;
    private final LayerGroupTrainer.Factory factory;
    private final ActorRef<LayerGroupTrainer.Report> reports;
    private final DispatcherSelector dispatcher;
    private final List<ActorRef<LayerGroupTrainer.Command>> stages = new ArrayList<>();
    private int generation;

    public TrainerChain(ActorContext<?> context, List<List<Integer>> groups, TrainingMode mode, int epochs,
                        LayerGroupTrainer.Factory factory, ActorRef<LayerGroupTrainer.Report> reports, DispatcherSelector dispatcher) {
        this.context = context;
        this.groups = groups;
        this.mode = mode;
        this.epochs = epochs;
        this.factory = factory;
        this.reports = reports;
        this.dispatcher = dispatcher;
    }

    /** A new generation of trainers owning the network's layers; an injected fault goes to the first generation only. */
    public void spawn(Network network, FaultsSpec.TrainerFault fault) {
        generation++;
        long failAt = generation == 1 && fault.on() ? fault.atStep() : 0;
        ActorRef<LayerGroupTrainer.Command> next = null;
        stages.clear();
        for (int g = groups.size(); g >= 1; g--) {
            List<LocalLayer> layers = groups.get(g - 1).stream().map(network::layer).toList();
            boolean faulty = failAt > 0 && groups.get(g - 1).contains(fault.layer());
            LayerGroupTrainer.Setup setup = new LayerGroupTrainer.Setup(g, generation, mode, epochs, faulty ? failAt : 0);
            ActorRef<LayerGroupTrainer.Command> trainer = context.spawn(factory.create(setup, layers, next, reports),
                    "trainer-" + g + "-gen" + generation, dispatcher);
            context.watch(trainer);
            stages.add(0, trainer);
            next = trainer;
        }
    }

    /** Stops every trainer; reports still in flight from them are dropped from now on. */
    public void stopAll() {
        unwatchAll();
        stages.forEach(context::stop);
        stages.clear();
        generation++;
    }

    public void unwatchAll() {
        stages.forEach(context::unwatch);
    }

    public boolean isStage(ActorRef<?> ref) {
        return stages.contains(ref.<LayerGroupTrainer.Command>unsafeUpcast());
    }

    public ActorRef<LayerGroupTrainer.Command> first() {
        return stages.get(0);
    }

    public List<ActorRef<LayerGroupTrainer.Command>> stages() {
        return List.copyOf(stages);
    }

    public int generation() {
        return generation;
    }

    public int size() {
        return groups.size();
    }
}
