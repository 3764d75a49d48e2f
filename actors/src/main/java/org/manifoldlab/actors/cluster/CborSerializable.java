package org.manifoldlab.actors.cluster;

/**
 * Marks every message that crosses between nodes. manifold-lab-cluster.conf binds it to Pekko's
 * Jackson CBOR serializer; nothing else is allowed onto the wire (Java serialization is off).
 */
public interface CborSerializable {
}
