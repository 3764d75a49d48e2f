/**
 * lab serve: a web server that shows the runs and sweeps of a runs directory, live. It reads run
 * directories through rundir only and never writes to them; it imports nothing of the project
 * but rundir (no actors of the training system, no core).
 */
package org.manifoldlab.serve;
