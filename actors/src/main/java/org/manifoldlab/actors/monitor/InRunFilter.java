package org.manifoldlab.actors.monitor;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/** Lets through only log events of an experiment (those whose MDC names a run directory, see {@link RunMdc}), for its lab.log. */
public final class InRunFilter extends Filter<ILoggingEvent> {

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getMDCPropertyMap().containsKey(RunMdc.RUN_DIR) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
