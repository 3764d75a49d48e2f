/**
 * lab status: a table (or JSON) of runs read from their run directories, and --follow on one
 * run's events. Must not import Pekko.
 */
package org.manifoldlab.cli.status;
