package org.manifoldlab.actors.monitor;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.MDC;

/** The MDC that routes an experiment's log lines to its own lab.log (see {@link InRunFilter} and logback.xml). */
public final class RunMdc {

    public static final String RUN_DIR = "runDir";
    public static final String EXPERIMENT = "experiment";

    private RunMdc() {
    }

    /**
     * A behaviour whose log lines carry the experiment id and run directory in their MDC (its
     * lab.log is sifted by them), also while it is being built.
     */
    public static <T> Behavior<T> around(Class<T> type, String experiment, Path runDir, Callable<? extends Behavior<T>> make) throws Exception {
        Map<String, String> mdc = Map.of(EXPERIMENT, experiment, RUN_DIR, runDir.toString());
        mdc.forEach(MDC::put);
        try {
            return Behaviors.withMdc(type, mdc, make.call());
        } finally {
            mdc.keySet().forEach(MDC::remove);
        }
    }
}
