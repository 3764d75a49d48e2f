/**
 * The run directory, the only state shared between processes, written in one place: its
 * layout, the columns of its CSV files and their reader, the manifest, the lock that gives a
 * run one owner, the sweep plan. Imports nothing of the project but config, and no Pekko.
 */
package org.manifoldlab.rundir;
