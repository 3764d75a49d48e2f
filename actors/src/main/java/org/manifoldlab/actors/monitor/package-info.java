/**
 * What people see of running experiments: progress lines with rates and ETAs, and the MDC and
 * log filter that give every run its own lab.log. Imports no other actors package.
 */
package org.manifoldlab.actors.monitor;
