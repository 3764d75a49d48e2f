/**
 * lab serve, the command: its options, the warning for a non-local host, exit codes; the server
 * itself lives in the serve module. Must not import the actors of the training system.
 */
package org.manifoldlab.cli.serve;
