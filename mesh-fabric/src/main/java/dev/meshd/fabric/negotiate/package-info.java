/**
 * Stage-transport negotiation: the seam every transport implements ({@link
 * dev.meshd.fabric.negotiate.StageTransport}), the protocol both ends of a stage link follow
 * ({@link dev.meshd.fabric.negotiate.NegotiationMessage} over a {@link
 * dev.meshd.fabric.negotiate.PeerChannel}), the rules that turn its messages into one result
 * ({@link dev.meshd.fabric.negotiate.LinkDecision}, giving a {@link
 * dev.meshd.fabric.negotiate.NegotiatedLink}), and the {@link
 * dev.meshd.fabric.negotiate.TransportNegotiator} that runs either end with its deadlines.
 * docs/fabric.md, "Negotiation protocol", is the reference.
 */
package dev.meshd.fabric.negotiate;
