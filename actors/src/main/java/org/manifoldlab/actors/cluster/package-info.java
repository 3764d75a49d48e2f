/**
 * Experiments placed on the compute nodes of a Pekko cluster: slots found through the
 * Receptionist, jobs over reliable delivery, run directories streamed between nodes without a
 * shared disk (StreamRefs), and what crosses the network (Jackson CBOR). Only
 * cli imports it; nothing else in actors does.
 */
package org.manifoldlab.actors.cluster;
