/**
 * lab report: plots (PNG and SVG), index.html and summary.json of a run or a sweep, and the
 * study's findings tested with the statistics of core.stats. Must not import Pekko.
 */
package org.manifoldlab.report;
