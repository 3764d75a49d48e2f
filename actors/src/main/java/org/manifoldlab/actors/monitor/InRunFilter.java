package org.manifoldlab.actors.monitor;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/** Lets through only log events of an experiment (those whose MDC names a run directory), for its lab.log. */
public final class InRunFilter extends Filter<ILoggingEvent> {

    public static final String RUN_DIR = "runDir";
    public static final String EXPERIMENT = "experiment";

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getMDCPropertyMap().containsKey(RUN_DIR) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
