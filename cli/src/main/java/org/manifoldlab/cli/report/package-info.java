/**
 * lab report, the command: its options and exit codes; the report itself (plots, pages, the
 * findings' statistics) lives in the report module.
 */
package org.manifoldlab.cli.report;
