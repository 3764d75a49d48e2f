package org.manifoldlab.actors.monitor;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/** Lets through only log events of an experiment (those whose MDC names a run directory), for its lab.log. */
public final class InRunFilter extends Filter<ILoggingEvent> {

    public static final String RUN_DIR = "runDir";
    public static final String EXPERIMENT = "experiment";

    /**
     * A behaviour whose log lines carry the experiment id and run directory in their MDC (its
     * lab.log is sifted by them), also while it is being built.
     */
    public static <T> org.apache.pekko.actor.typed.Behavior<T> withRunMdc(Class<T> type, String experiment, java.nio.file.Path runDir,
            java.util.concurrent.Callable<? extends org.apache.pekko.actor.typed.Behavior<T>> make) throws Exception {
        java.util.Map<String, String> mdc = java.util.Map.of(EXPERIMENT, experiment, RUN_DIR, runDir.toString());
        mdc.forEach(org.slf4j.MDC::put);
        try {
            return org.apache.pekko.actor.typed.javadsl.Behaviors.withMdc(type, mdc, make.call());
        } finally {
            mdc.keySet().forEach(org.slf4j.MDC::remove);
        }
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getMDCPropertyMap().containsKey(RUN_DIR) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
