/**
 * The lab command (picocli) and the runnable jar: commands read their options, check the input
 * and start the actor system; exit codes live in ExitCodes. Nothing else imports this module.
 */
package org.manifoldlab.cli;
